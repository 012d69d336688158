/**
 * The user's own lines for our names: lines outside our blocks that map one of
 * the names we point at this machine. They are reported (they may win over our
 * entries, or clash with them), never changed.
 *
 * A line's names are its fields after the address, up to a `#`, separated by
 * spaces and tabs as the resolver reads them. The rare lines that mention a
 * name as a field are found by one regex alternating the names, run by the
 * regex engine over the whole file (a loop over its characters in JavaScript
 * took seconds in the daemon, which runs V8 in lite mode); its cost grows with
 * the number of names, so names go 200 at a time with a turn of the event loop
 * between (5,000 names at once held the daemon for over half a second).
 */
import { countNewlines, lineAt, scanBlocks } from './blockScan';
import { nextTurn } from '../base/eventLoop';

export interface ForeignEntry {
  /** 1-based line number. */
  line: number;
  /** The name as wanted (lowercase). */
  name: string;
  /** The line, without its line ending (bytes). */
  text: string;
}

const NAMES_PER_TURN = 200;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The names a line maps: its fields after the first, up to a `#`. */
function namesOnLine(content: string): string[] {
  const hash = content.indexOf('#');
  const fields = (hash < 0 ? content : content.slice(0, hash)).replace(/^[ \t]+|[ \t]+$/g, '');
  return fields === '' ? [] : fields.split(/[ \t]+/).slice(1);
}

/** Lines outside our blocks that already map one of `names`. */
export async function foreignEntries(text: string, names: readonly string[]): Promise<ForeignEntry[]> {
  const wanted = [...new Set(names.map((n) => n.toLowerCase()))];
  if (wanted.length === 0) return [];
  const candidates = new Set<number>(); // starts of lines that may map a name
  for (let from = 0; from < wanted.length; from += NAMES_PER_TURN) {
    if (from > 0) await nextTurn();
    // The space or tab is matched, not looked behind for: a lookbehind at every offset cost 10x more.
    const alternatives = wanted
      .slice(from, from + NAMES_PER_TURN)
      .map(escapeRegExp)
      .join('|');
    for (const match of text.matchAll(new RegExp(`[ \\t](?:${alternatives})(?=[ \\t\\r\\n#]|$)`, 'gim'))) {
      candidates.add(text.lastIndexOf('\n', match.index) + 1);
    }
  }
  const blocks = scanBlocks(text).blocks;
  const all = new Set(wanted);
  const found: ForeignEntry[] = [];
  let counted = 0;
  let line = 1;
  for (const start of [...candidates].sort((a, b) => a - b)) {
    if (blocks.some((b) => start >= b.start && start < b.end)) continue;
    line += countNewlines(text, counted, start);
    counted = start;
    const content = lineAt(text, start).replace(/\r?\n$/, '');
    for (const name of namesOnLine(content)) if (all.has(name.toLowerCase())) found.push({ line, name: name.toLowerCase(), text: content });
  }
  return found;
}
