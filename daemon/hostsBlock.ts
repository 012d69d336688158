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
 * marker says which (`+lf` / `+crlf`). That newline belongs to the end of the
 * file, not to the block: when the block goes while another of ours follows
 * it directly, the mark passes to that one, so removal in any order gives the
 * original bytes back.
 */
import { createHash } from 'node:crypto';
import { checkDomain } from './domainName';

const BEGIN = /^# >>> multisite-local ([0-9a-f]{8})(?:\+(lf|crlf))? (.*) >>>$/;
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
  /** The newline the block added before itself because the file did not end with one, if any. */
  addedEol: string;
  names: string[];
  /** Lines inside the block that we did not write, each with its line ending. */
  foreign: string[];
}

/** Finds our blocks; a begin marker without its end marker is not a block (and is left alone). */
function locate(text: string): Located[] {
  const blocks: Located[] = [];
  let open: Omit<Located, 'end'> | null = null;
  let offset = 0;
  for (const line of text.split(/(?<=\n)/)) {
    const bare = line.replace(/\r?\n$/, '');
    const begin = BEGIN.exec(bare);
    if (begin) {
      const addedEol = begin[2] === 'crlf' ? '\r\n' : begin[2] === 'lf' ? '\n' : '';
      open = { id: begin[1], rootBytes: begin[3], start: offset, addedEol, names: [], foreign: [] };
    } else if (open && bare === END(open.id)) {
      blocks.push({ ...open, end: offset + line.length });
      open = null;
    } else if (open) {
      const ours = OURS.exec(bare);
      if (!ours) open.foreign.push(line);
      else if (!open.names.includes(ours[1])) open.names.push(ours[1]);
    }
    offset += line.length;
  }
  return blocks;
}

export function listBlocks(text: string): HostsBlock[] {
  return locate(text).map(({ id, rootBytes, names }) => ({ id, root: fromBytes(rootBytes), names }));
}

/** Lines someone else put inside the project's block (they are kept when the block changes). */
export function foreignLinesInBlock(text: string, id: string): string[] {
  return (locate(text).find((b) => b.id === id)?.foreign ?? []).map((line) => line.replace(/\r?\n$/, ''));
}

/** Gives the begin marker at the start of `text` the end-of-file mark `eol`, unless it has one. */
function markFollowing(text: string, eol: string): string {
  const lineEnd = text.search(/\r?\n/);
  const first = lineEnd < 0 ? text : text.slice(0, lineEnd);
  const begin = BEGIN.exec(first);
  if (!begin || begin[2]) return text;
  return `# >>> multisite-local ${begin[1]}+${eol === '\r\n' ? 'crlf' : 'lf'} ${begin[3]} >>>${text.slice(first.length)}`;
}

export function removeBlock(text: string, id: string): string {
  const found = locate(text).find((b) => b.id === id);
  if (!found) return text;
  const kept = found.foreign.join('');
  const before = text.slice(0, found.start);
  let after = text.slice(found.end);
  if (found.addedEol && kept === '') {
    // The newline before the block stands for "the file had none": it goes with the
    // last of our blocks, and stays (unmarked) when someone else's lines follow.
    if (after === '' && before.endsWith(found.addedEol)) return before.slice(0, -found.addedEol.length);
    after = markFollowing(after, found.addedEol);
  }
  return before + kept + after;
}

/** Removes the blocks with these ids, last first (whether a block ends the file changes as later ones go). */
export function removeBlocks(text: string, ids: ReadonlySet<string>): string {
  let result = text;
  for (const block of locate(text).reverse()) if (ids.has(block.id)) result = removeBlock(result, block.id);
  return result;
}

/** Removes every block of ours, whatever project or daemon wrote it. */
export function removeAllBlocks(text: string): string {
  return removeBlocks(text, new Set(locate(text).map((b) => b.id)));
}

export class BadHostName extends Error {}

/** Throws BadHostName unless `block` can be written as it is. */
export function checkBlock(block: HostsBlock): void {
  if (block.names.length === 0) throw new BadHostName('the project has no local domains to point at this machine');
  for (const name of block.names) {
    const checked = checkDomain(name);
    if (!checked.ok || checked.ascii !== name) {
      throw new BadHostName(`${JSON.stringify(name)} cannot go into a hosts file: ${checked.ok ? 'it must be written in lowercase ASCII (punycode)' : checked.reason}`);
    }
  }
  if (/[\r\n]/.test(block.root)) throw new BadHostName('the project path contains a line break');
}

/**
 * Writes (or rewrites in place) the project's block mapping every name to
 * 127.0.0.1 and ::1. Lines someone else put inside the block move to just after it.
 */
export function applyBlock(text: string, block: HostsBlock): string {
  checkBlock(block);
  const eol = eolOf(text);
  const render = (addedEol: string): string =>
    [
      `# >>> multisite-local ${block.id}${addedEol ? (addedEol === '\r\n' ? '+crlf' : '+lf') : ''} ${toBytes(block.root)} >>>`,
      ...block.names.flatMap((name) => [`127.0.0.1\t${name}`, `::1\t${name}`]),
      END(block.id),
    ].join(eol) + eol;
  const existing = locate(text).find((b) => b.id === block.id);
  if (existing) return text.slice(0, existing.start) + render(existing.addedEol) + existing.foreign.join('') + text.slice(existing.end);
  const addedEol = text.length > 0 && !text.endsWith('\n') ? eol : '';
  return text + addedEol + render(addedEol);
}

/** Lines outside our blocks that already map one of `names` (the user's own): reported, never changed. */
export function foreignEntries(text: string, names: readonly string[]): { line: number; name: string; text: string }[] {
  const ours = locate(text);
  const found: { line: number; name: string; text: string }[] = [];
  let offset = 0;
  text.split(/(?<=\n)/).forEach((line, index) => {
    const inside = ours.some((b) => offset >= b.start && offset < b.end);
    offset += line.length;
    if (inside) return;
    const content = line.replace(/#.*$/, '').trim();
    if (!content) return;
    const [, ...hostnames] = content.split(/\s+/);
    for (const name of hostnames) {
      if (names.includes(name.toLowerCase())) found.push({ line: index + 1, name: name.toLowerCase(), text: line.replace(/\r?\n$/, '') });
    }
  });
  return found;
}
