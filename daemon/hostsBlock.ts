/**
 * Our marked blocks in a hosts file, as pure text transformations. Only our
 * own block is ever touched: every other byte (comments, blank lines, CRLF,
 * tabs, a BOM, a missing final newline, other tools' blocks) is kept, applying
 * twice equals applying once, and removing restores the original bytes.
 *
 *   # >>> multisite-local 3f2a9c1b /path/to/project >>>
 *   127.0.0.1	alpha.example
 *   ::1	alpha.example
 *   # <<< multisite-local 3f2a9c1b <<<
 *
 * One name per line, so Windows' limit on names per line never applies. When
 * the file did not end with a newline, the block starts with one and its begin
 * marker says which (`+lf` / `+crlf`), so removal can take exactly that back out.
 */
import { createHash } from 'node:crypto';
import { checkDomain } from './domainName';

const BEGIN = /^# >>> multisite-local ([0-9a-f]{8})(?:\+(lf|crlf))? (.*) >>>$/;
const END = (id: string): string => `# <<< multisite-local ${id} <<<`;

export interface HostsBlock {
  id: string;
  root: string;
  names: string[];
}

/** A short, stable id for a project's block (its root path can contain anything). */
export function blockId(root: string): string {
  return createHash('sha256').update(root).digest('hex').slice(0, 8);
}

function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

interface Located {
  id: string;
  root: string;
  /** Offsets of the block's first and past-the-end characters, its line ending included. */
  start: number;
  end: number;
  /** The line ending the block added before itself, if any. */
  addedEol: string;
  names: string[];
}

/** Finds our blocks; a begin marker without its end marker is not a block (and is left alone). */
function locate(text: string): Located[] {
  const blocks: Located[] = [];
  const lines = text.split(/(?<=\n)/); // keep each line's own ending
  let offset = 0;
  let open: { id: string; root: string; start: number; addedEol: string; names: string[] } | null = null;
  for (const line of lines) {
    const bare = line.replace(/\r?\n$/, '');
    const begin = BEGIN.exec(bare);
    if (begin) {
      open = { id: begin[1], root: begin[3], start: offset, addedEol: begin[2] === 'crlf' ? '\r\n' : begin[2] === 'lf' ? '\n' : '', names: [] };
    } else if (open && bare === END(open.id)) {
      const end = offset + line.length;
      // The newline the block added goes with it, unless lines were added after the block:
      // then taking it would join the file's last original line to the next one.
      const atEnd = end === text.length;
      const start = open.addedEol && atEnd && text.slice(0, open.start).endsWith(open.addedEol) ? open.start - open.addedEol.length : open.start;
      blocks.push({ ...open, start, end });
      open = null;
    } else if (open) {
      const name = bare.split(/\s+/)[1];
      if (name && !open.names.includes(name)) open.names.push(name);
    }
    offset += line.length;
  }
  return blocks;
}

export function listBlocks(text: string): HostsBlock[] {
  return locate(text).map(({ id, root, names }) => ({ id, root, names }));
}

export function removeBlock(text: string, id: string): string {
  const found = locate(text).find((b) => b.id === id);
  if (!found) return text;
  return text.slice(0, found.start) + text.slice(found.end);
}

export function removeAllBlocks(text: string): string {
  // Last first, locating again each time: whether a block ends the file changes as later ones go.
  let result = text;
  for (const block of locate(text).reverse()) result = removeBlock(result, block.id);
  return result;
}

export class BadHostName extends Error {}

/** Writes (or rewrites in place) the project's block mapping every name to 127.0.0.1 and ::1. */
export function applyBlock(text: string, block: HostsBlock): string {
  for (const name of block.names) {
    const checked = checkDomain(name);
    if (!checked.ok || checked.ascii !== name) {
      throw new BadHostName(`${JSON.stringify(name)} cannot go into a hosts file: ${checked.ok ? 'it must be written in lowercase ASCII (punycode)' : checked.reason}`);
    }
  }
  if (/[\r\n]/.test(block.root)) throw new BadHostName('the project path contains a line break');
  const existing = locate(text).find((b) => b.id === block.id);
  const base = existing ? text.slice(0, existing.start) + text.slice(existing.end) : text;
  const at = existing ? existing.start : base.length;
  const before = base.slice(0, at);
  const eol = eolOf(text);
  const needsEol = before.length > 0 && !before.endsWith('\n');
  const lines = [
    `# >>> multisite-local ${block.id}${needsEol ? (eol === '\r\n' ? '+crlf' : '+lf') : ''} ${block.root} >>>`,
    ...block.names.flatMap((name) => [`127.0.0.1\t${name}`, `::1\t${name}`]),
    END(block.id),
  ];
  const rendered = (needsEol ? eol : '') + lines.join(eol) + eol;
  return before + rendered + base.slice(at);
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
