/**
 * Our marked blocks in a hosts file, as pure text transformations. Only our
 * own block is ever touched: every other byte (comments, blank lines, CRLF,
 * tabs, a BOM, NULs, bytes that are not UTF-8, a missing final newline, other
 * tools' blocks) is kept, applying twice equals applying once, and removing
 * restores the original bytes.
 *
 *   # >>> multisite-local 3f2a9c1b /path/to/project >>>
 *   127.0.0.1	alpha.example
 *   ::1	alpha.example
 *   # <<< multisite-local 3f2a9c1b <<<
 *
 * Texts here are byte strings: the file's bytes decoded as latin1, one
 * character per byte, so that no byte of the user's is ever re-encoded.
 *
 * One name per line, so Windows' limit on names per line never applies. When
 * the file did not end with a newline, the block starts with one and its begin
 * marker says which (`+lf` / `+crlf`); when there was no file, it says `+new`
 * (a text of null here), and the file goes again with our last block. That
 * mark belongs to the file's original end, not to the block: when the block
 * goes while another of ours follows it directly, the mark passes to that one,
 * so removal in any order gives the original bytes back.
 */
import { createHash } from 'node:crypto';
import { checkDomain } from '../sites/domainName';

const BEGIN = /^# >>> multisite-local ([0-9a-f]{8})(?:\+(lf|crlf|new))? (.*) >>>$/;
const END = (id: string): string => `# <<< multisite-local ${id} <<<`;
/** Exactly the lines we write; anything else inside a block is someone else's and is kept. */
const OURS = /^(?:127\.0\.0\.1|::1)\t([a-z0-9.-]+)$/;

export interface HostsBlock {
  id: string;
  root: string;
  names: string[];
}

/**
 * A short, stable id for the block of `root` written by the daemon whose home
 * is `home`: two daemons (two homes) serving one project never share a block.
 */
export function blockId(home: string, root: string): string {
  return createHash('sha256').update(`${home}\0${root}`).digest('hex').slice(0, 8);
}

/** A byte string from text (UTF-8), for the parts of a block we write. */
export const toBytes = (text: string): string => Buffer.from(text, 'utf8').toString('latin1');
const fromBytes = (bytes: string): string => Buffer.from(bytes, 'latin1').toString('utf8');

type Mark = '' | 'lf' | 'crlf' | 'new';
const eolOfMark = (mark: Mark): string => (mark === 'lf' ? '\n' : mark === 'crlf' ? '\r\n' : '');

function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

interface Located {
  id: string;
  /** The root as written in the marker (bytes). */
  rootBytes: string;
  /** Offsets of the begin marker's first character and of the first character past the end marker's line. */
  start: number;
  end: number;
  /** How the file ended before this block: '' (with a newline), 'lf' / 'crlf' (added before the block), 'new' (no file). */
  mark: Mark;
  names: string[];
  /** Lines inside the block that we did not write, each with its line ending. */
  foreign: string[];
}

/** The line of `text` that starts at `offset`, with its line ending. */
function lineAt(text: string, offset: number): string {
  const newline = text.indexOf('\n', offset);
  return text.slice(offset, newline < 0 ? text.length : newline + 1);
}

/**
 * Finds our blocks; a begin marker without its end marker is not a block (and
 * is left alone). It jumps from marker to marker, so a hosts file of 100,000
 * lines costs a few string searches, not a regex per line.
 */
function locate(text: string): Located[] {
  const blocks: Located[] = [];
  for (let search = 0; ;) {
    const found = text.indexOf('# >>> multisite-local ', search);
    if (found < 0) return blocks;
    search = found + 1;
    if (found > 0 && text[found - 1] !== '\n') continue; // not at the start of a line
    const begin = BEGIN.exec(lineAt(text, found).replace(/\r?\n$/, ''));
    if (!begin) continue;
    const open: Omit<Located, 'end'> = { id: begin[1], rootBytes: begin[3], start: found, mark: (begin[2] ?? '') as Mark, names: [], foreign: [] };
    for (let offset = found + lineAt(text, found).length; offset < text.length;) {
      const line = lineAt(text, offset);
      const bare = line.replace(/\r?\n$/, '');
      offset += line.length;
      if (BEGIN.test(bare)) break; // another begin first: this one is not a block
      if (bare === END(open.id)) {
        blocks.push({ ...open, end: offset });
        search = offset;
        break;
      }
      const ours = OURS.exec(bare);
      if (!ours) open.foreign.push(line);
      else if (!open.names.includes(ours[1])) open.names.push(ours[1]);
    }
  }
}

/** A block found in a file, with the 1-based line of its begin marker. */
export interface ListedBlock extends HostsBlock {
  line: number;
}

export function listBlocks(text: string | null): ListedBlock[] {
  const bytes = text ?? '';
  let line = 1;
  let counted = 0;
  return locate(bytes).map(({ id, rootBytes, names, start }) => {
    line += countNewlines(bytes, counted, start);
    counted = start;
    return { id, root: fromBytes(rootBytes), names, line };
  });
}

/** Lines someone else put inside the project's block (they are kept when the block changes). */
export function foreignLinesInBlock(text: string, id: string): string[] {
  return (locate(text).find((b) => b.id === id)?.foreign ?? []).map((line) => line.replace(/\r?\n$/, ''));
}

/** Gives the begin marker at the start of `text` the end-of-file mark `mark`, unless it has one. */
function markFollowing(text: string, mark: Mark): string {
  const lineEnd = text.search(/\r?\n/);
  const first = lineEnd < 0 ? text : text.slice(0, lineEnd);
  const begin = BEGIN.exec(first);
  if (!begin || begin[2]) return text;
  return `# >>> multisite-local ${begin[1]}+${mark} ${begin[3]} >>>${text.slice(first.length)}`;
}

/** Takes the block out; null means the file should not exist (we created it and nothing else is in it). */
export function removeBlock(text: string | null, id: string): string | null {
  if (text === null) return null;
  const found = locate(text).find((b) => b.id === id);
  if (!found) return text;
  const kept = found.foreign.join('');
  const before = text.slice(0, found.start);
  let after = text.slice(found.end);
  if (found.mark && kept === '') {
    // The mark stands for the file's original end: it goes with the last of our
    // blocks, and is dropped when someone else's lines follow.
    const eol = eolOfMark(found.mark);
    if (after === '' && found.mark === 'new' && before === '') return null;
    if (after === '' && eol && before.endsWith(eol)) return before.slice(0, -eol.length);
    after = markFollowing(after, found.mark);
  }
  return before + kept + after;
}

/** Removes the blocks with these ids, last first (whether a block ends the file changes as later ones go). */
export function removeBlocks(text: string | null, ids: ReadonlySet<string>): string | null {
  let result = text;
  for (const block of locate(text ?? '').reverse()) if (ids.has(block.id)) result = removeBlock(result, block.id);
  return result;
}

/** Removes every block of ours, whatever project or daemon wrote it. */
export function removeAllBlocks(text: string | null): string | null {
  return removeBlocks(text, new Set(locate(text ?? '').map((b) => b.id)));
}

export class BadHostName extends Error {}

/** Throws BadHostName unless `block` can be written as it is. */
export function checkBlock(block: HostsBlock): void {
  if (block.names.length === 0) throw new BadHostName('the project has no local domains to point at this machine');
  for (const name of block.names) {
    const checked = checkDomain(name);
    if (!checked.ok || checked.ascii !== name) {
      throw new BadHostName(
        `${JSON.stringify(name)} cannot go into a hosts file: ${checked.ok ? 'it must be written in lowercase ASCII (punycode)' : checked.reason}`,
      );
    }
  }
  if (/[\r\n]/.test(block.root)) throw new BadHostName('the project path contains a line break');
}

/**
 * Writes (or rewrites in place) the project's block mapping every name to
 * 127.0.0.1 and ::1 (`text` null: there is no file yet). Lines someone else put
 * inside the block move to just after it.
 */
export function applyBlock(text: string | null, block: HostsBlock): string {
  checkBlock(block);
  const eol = eolOf(text ?? '');
  const render = (mark: Mark): string =>
    [
      `# >>> multisite-local ${block.id}${mark ? `+${mark}` : ''} ${toBytes(block.root)} >>>`,
      ...block.names.flatMap((name) => [`127.0.0.1\t${name}`, `::1\t${name}`]),
      END(block.id),
    ].join(eol) + eol;
  if (text === null) return render('new');
  const existing = locate(text).find((b) => b.id === block.id);
  if (existing) return text.slice(0, existing.start) + render(existing.mark) + existing.foreign.join('') + text.slice(existing.end);
  if (text.length === 0 || text.endsWith('\n')) return text + render('');
  return text + eol + render(eol === '\r\n' ? 'crlf' : 'lf');
}

/** Lines outside our blocks that already map one of `names` (the user's own): reported, never changed. */
export function foreignEntries(text: string, names: readonly string[]): { line: number; name: string; text: string }[] {
  if (names.length === 0) return [];
  const ours = locate(text);
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  // One pass of one regex finds the rare lines that mention a name as a field (after a space
  // or tab): a hosts file can have 100,000 lines, and a search per name cost 1.5 ms each there.
  // The space is matched, not looked behind for: a lookbehind at every offset cost 10x more.
  const pattern = new RegExp(`[ \\t](?:${[...wanted].map(escapeRegExp).join('|')})(?=[ \\t\\r\\n#]|$)`, 'gim');
  const found: { line: number; name: string; text: string }[] = [];
  const seen = new Set<number>();
  let counted = 0;
  let line = 1;
  for (const match of text.matchAll(pattern)) {
    const start = text.lastIndexOf('\n', match.index) + 1;
    if (seen.has(start) || ours.some((b) => start >= b.start && start < b.end)) continue;
    seen.add(start);
    line += countNewlines(text, counted, start);
    counted = start;
    const content = lineAt(text, start).replace(/\r?\n$/, '');
    const [, ...hostnames] = content.replace(/#.*$/, '').trim().split(/\s+/);
    for (const name of hostnames) if (wanted.has(name.toLowerCase())) found.push({ line, name: name.toLowerCase(), text: content });
  }
  return found;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let at = text.indexOf('\n', from); at >= 0 && at < to; at = text.indexOf('\n', at + 1)) count++;
  return count;
}
