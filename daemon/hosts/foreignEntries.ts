/**
 * The user's own lines for our names: lines outside our blocks that map one of
 * the names we point at this machine. They are reported (they may win over our
 * entries, or clash with them), never changed.
 *
 * A line's names are its fields after the address, up to a `#`, split on
 * whitespace. The file is read once, character by character, and a field is
 * looked up in a set of the wanted names only when its length is one of
 * theirs: the cost is the file's size whatever the number of names (one regex
 * alternating 5,000 names took a second on a 100,000-line file, and splitting
 * every line a tenth of that).
 */
import { countNewlines, scanBlocks } from './blockScan';

export interface ForeignEntry {
  /** 1-based line number. */
  line: number;
  /** The name as wanted (lowercase). */
  name: string;
  /** The line, without its line ending (bytes). */
  text: string;
}

const NEWLINE = 10;
const HASH = 35;
/** What String.prototype.trim and /\s/ count as whitespace among the characters of a byte string. */
const isSpace = (code: number): boolean => code === 32 || (code >= 9 && code <= 13) || code === 0xa0;

/** Lines outside our blocks that already map one of `names`. */
export function foreignEntries(text: string, names: readonly string[]): ForeignEntry[] {
  if (names.length === 0) return [];
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  const lengths = new Set([...wanted].map((n) => n.length));
  const blocks = scanBlocks(text).blocks;
  const found: ForeignEntry[] = [];
  const lineText = (start: number): string => {
    const end = text.indexOf('\n', start);
    return text.slice(start, end < 0 ? text.length : end).replace(/\r$/, '');
  };
  let block = 0;
  let line = 1;
  for (let at = 0; at < text.length;) {
    if (block < blocks.length && blocks[block].start === at) {
      line += countNewlines(text, at, blocks[block].end);
      at = blocks[block++].end;
      continue;
    }
    const lineStart = at;
    let field = 0; // fields seen on this line
    let fieldStart = -1;
    let comment = false;
    for (; ; at++) {
      const code = at < text.length ? text.charCodeAt(at) : NEWLINE;
      const ends = code === NEWLINE || (!comment && (code === HASH || isSpace(code)));
      if (fieldStart >= 0 && ends) {
        if (field > 0 && lengths.has(at - fieldStart)) {
          const name = text.slice(fieldStart, at).toLowerCase();
          if (wanted.has(name)) found.push({ line, name, text: lineText(lineStart) });
        }
        field++;
        fieldStart = -1;
      }
      if (code === NEWLINE) break;
      if (code === HASH) comment = true;
      else if (!comment && fieldStart < 0 && !isSpace(code)) fieldStart = at;
    }
    at++;
    line++;
  }
  return found;
}
