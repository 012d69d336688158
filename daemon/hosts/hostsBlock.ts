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
 * marker says which (`+lf` / `+crlf`; after a lone CR always CRLF, so the CR
 * stays part of the user's line: an LF would make the two one line ending and
 * the line another, perhaps a marker of ours). `+new` (the file did not exist:
 * it goes again with our last block) is only read now, in files written before
 * a missing hosts file was refused instead of created. That
 * mark belongs to the file's original end, not to the block: when the block
 * goes while another of ours follows it directly, the mark passes to that one,
 * so removal in any order gives the original bytes back.
 */
import { createHash } from 'node:crypto';
import { checkDomain } from '../sites/domainName';
import { countNewlines, endMarker, lineNumberAt, scanBlocks } from './blockScan';
import type { DamagedMarker, Located, Mark, Scan } from './blockScan';

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

const eolOfMark = (mark: Mark): string => (mark === 'lf' ? '\n' : mark === 'crlf' ? '\r\n' : '');

function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

const PROBLEMS: Record<DamagedMarker['problem'], string> = {
  'no end': 'starts a block of ours whose end line is missing',
  'no start': 'ends a block of ours whose start line is missing',
  repeated: 'starts a second copy of a block of ours',
};

/** A marker of ours that makes no block, with its 1-based line. */
export interface Damage {
  line: number;
  marker: DamagedMarker;
}

/** `damage` as one sentence naming `file` and the line: that block was left alone, and what to do about it. */
export function damageSentence(file: string, damage: Damage): string {
  const { line, marker } = damage;
  return (
    `${file} line ${line} (${JSON.stringify(fromBytes(marker.text))}) ${PROBLEMS[marker.problem]}, so that block was left as it is: ` +
    `delete its lines by hand (its entries are the "127.0.0.1" and "::1" lines between "# >>> multisite-local ${marker.id}" and "${endMarker(marker.id)}"), then try again.`
  );
}

/** Thrown when the block to change has a damaged marker: where it begins or ends can no longer be told. */
export class DamagedBlock extends Error {
  constructor(readonly damage: Damage) {
    super(`line ${damage.line} (${JSON.stringify(fromBytes(damage.marker.text))}) ${PROBLEMS[damage.marker.problem]}`);
  }
}

const damageAt = (text: string, marker: DamagedMarker): Damage => ({ line: lineNumberAt(text, marker.start), marker });

/** The project's block in `text` and the scan it was found in; throws DamagedBlock when a marker of its id makes no block (we would have to guess its lines). */
function blockOf(text: string, id: string): { found: Located | undefined; scan: Scan } {
  const scan = scanBlocks(text);
  const damaged = scan.damaged.find((d) => d.id === id);
  if (damaged) throw new DamagedBlock(damageAt(text, damaged));
  return { found: scan.blocks.find((b) => b.id === id), scan };
}

/** A block found in a file, with the 1-based line of its begin marker. */
export interface ListedBlock extends HostsBlock {
  line: number;
}

export function listBlocks(text: string | null): ListedBlock[] {
  const bytes = text ?? '';
  let line = 1;
  let counted = 0;
  return scanBlocks(bytes).blocks.map(({ id, rootBytes, names, start }) => {
    line += countNewlines(bytes, counted, start);
    counted = start;
    return { id, root: fromBytes(rootBytes), names, line };
  });
}

/** Lines someone else put inside the project's block (they are kept when the block changes). */
export function foreignLinesInBlock(text: string, id: string): string[] {
  return (scanBlocks(text).blocks.find((b) => b.id === id)?.foreign ?? []).map((line) => line.replace(/\r?\n$/, ''));
}

/** Gives the begin marker `next` (at the start of `text`) the end-of-file mark `mark`, unless it has one. */
function markFollowing(text: string, next: Located, mark: Mark): string {
  if (next.mark) return text;
  const lineEnd = text.search(/\r?\n/);
  const first = lineEnd < 0 ? text : text.slice(0, lineEnd);
  return `# >>> multisite-local ${next.id}+${mark} ${next.rootBytes} >>>${text.slice(first.length)}`;
}

/**
 * Whether `before` ends with the line ending `eol` we added to a last line that
 * had none. Such a line is never empty (a file that ended in an empty line ended
 * with a line ending), and an LF we added never follows a CR (after a lone CR we
 * add CRLF): when the user changed the lines above our block so that an empty
 * line or a CRLF line ends there, that line ending is theirs, and taking it (or
 * its LF) would delete or change their line.
 */
function endsWithAddedEol(before: string, eol: string): boolean {
  const last = before[before.length - eol.length - 1];
  return before.endsWith(eol) && before.length > eol.length && last !== '\n' && !(eol === '\n' && last === '\r');
}

/** `text` without the block `found`; `scan` is the text's. */
function without(text: string, found: Located, scan: Scan): string | null {
  const kept = found.foreign.join('');
  const before = text.slice(0, found.start);
  let after = text.slice(found.end);
  if (found.mark && kept === '') {
    // The mark stands for the file's original end: it goes with the last of our
    // blocks, passes to a block of ours right after this one, and is dropped
    // when someone else's lines follow (a marker that makes no block among them).
    const eol = eolOfMark(found.mark);
    const next = scan.blocks.find((b) => b.start === found.end);
    if (after === '' && found.mark === 'new' && before === '') return null;
    if (after === '' && eol && endsWithAddedEol(before, eol)) return before.slice(0, -eol.length);
    if (next) after = markFollowing(after, next, found.mark);
  }
  return before + kept + after;
}

/**
 * Takes the block out; null means the file should not exist (we created it and
 * nothing else is in it). Throws DamagedBlock when a marker of the block makes none.
 */
export function removeBlock(text: string | null, id: string): string | null {
  if (text === null) return null;
  const { found, scan } = blockOf(text, id);
  return found ? without(text, found, scan) : text;
}

/** What removing several blocks did: the text, and the blocks left alone because a marker of theirs is damaged. */
export interface Removal {
  text: string | null;
  damaged: Damage[];
}

/**
 * Removes the blocks with these ids (`ids` null: every block of ours, whatever
 * project or daemon wrote it), last first (whether a block ends the file changes
 * as later ones go). A block with a damaged marker is left whole and reported.
 */
export function removeBlocks(text: string | null, ids: ReadonlySet<string> | null): Removal {
  if (text === null) return { text, damaged: [] };
  const scan = scanBlocks(text);
  const wanted = (id: string): boolean => ids === null || ids.has(id);
  const damaged = scan.damaged.filter((d) => wanted(d.id));
  const refused = new Set(damaged.map((d) => d.id));
  let result: string | null = text;
  // Last first, scanning again each time: taking a block out can move the end-of-file mark and the lines before it.
  for (;;) {
    const now = result === null ? null : scanBlocks(result);
    const last = now?.blocks.filter((b) => wanted(b.id) && !refused.has(b.id)).pop();
    if (!last || !now || result === null) break;
    result = without(result, last, now);
  }
  return { text: result, damaged: damaged.map((d) => damageAt(text, d)) };
}

export class BadHostName extends Error {}

/**
 * Names already found fit for a hosts file: a block is checked before it is
 * journaled and again each time it is written, and 5,000 names cost 50 ms a check.
 */
const fitNames = new Set<string>();
const FIT_NAMES_KEPT = 100_000;

/** Throws BadHostName unless `block` can be written as it is. */
export function checkBlock(block: HostsBlock): void {
  if (block.names.length === 0) throw new BadHostName('the project has no local domains to point at this machine');
  for (const name of block.names) {
    if (fitNames.has(name)) continue;
    const checked = checkDomain(name);
    if (!checked.ok || checked.ascii !== name) {
      throw new BadHostName(
        `${JSON.stringify(name)} cannot go into a hosts file: ${checked.ok ? 'it must be written in lowercase ASCII (punycode)' : checked.reason}`,
      );
    }
    if (fitNames.size >= FIT_NAMES_KEPT) fitNames.clear();
    fitNames.add(name);
  }
  if (/[\r\n]/.test(block.root)) throw new BadHostName('the project path contains a line break');
}

/**
 * Writes (or rewrites in place) the project's block mapping every name to
 * 127.0.0.1 and ::1. Lines someone else put inside the block move to just
 * after it. Throws DamagedBlock when a marker of the block makes none.
 */
export function applyBlock(text: string, block: HostsBlock): string {
  checkBlock(block);
  const existing = blockOf(text, block.id).found;
  // A block written again keeps its own line endings (the CRLF added after a lone CR may be the only one in the file).
  const eol = existing ? (text.slice(existing.start, existing.end).match(/\r?\n/)?.[0] ?? '\n') : eolOf(text);
  const render = (mark: Mark): string =>
    [
      `# >>> multisite-local ${block.id}${mark ? `+${mark}` : ''} ${toBytes(block.root)} >>>`,
      ...block.names.flatMap((name) => [`127.0.0.1\t${name}`, `::1\t${name}`]),
      endMarker(block.id),
    ].join(eol) + eol;
  if (existing) return text.slice(0, existing.start) + render(existing.mark) + existing.foreign.join('') + text.slice(existing.end);
  if (text.length === 0 || text.endsWith('\n')) return text + render('');
  const added = text.endsWith('\r') ? '\r\n' : eol;
  return text + added + render(added === '\r\n' ? 'crlf' : 'lf');
}
