/**
 * Finds our marked blocks in a hosts file (bytes as a latin1 string), and the
 * markers of ours that do not make a block: a start line without its end line,
 * an end line without its start, a block repeated. Those are hand-damaged (or
 * a marker pasted into a comment): where our block begins or ends can no longer
 * be told, so the writer refuses to touch that block and names the line,
 * rather than guess and delete a line it did not write.
 *
 * Inside a block, only a pair of lines exactly as we write them
 * (`127.0.0.1<TAB>name`, then `::1<TAB>name`) is ours; any other line is
 * someone else's and is kept.
 *
 * It jumps from marker to marker and reads each block's lines once, so a hosts
 * file of 100,000 lines and a block of 10,000 names cost linear time.
 */
const BEGIN = /^# >>> multisite-local ([0-9a-f]{8})(?:\+(lf|crlf|new))? (.*) >>>$/;
const END = /^# <<< multisite-local ([0-9a-f]{8}) <<<$/;
const OURS_V4 = /^127\.0\.0\.1\t([a-z0-9.-]+)$/;
/** What every marker line holds right after its `# >>> ` or `# <<< `. */
const MARKER_WORD = 'multisite-local ';
const MARKER_HEAD = 6; // '# >>> '.length

export type Mark = '' | 'lf' | 'crlf' | 'new';

export const endMarker = (id: string): string => `# <<< multisite-local ${id} <<<`;

/** Parses a begin marker line (without its line ending); null when it is not one. */
export function parseBegin(line: string): { id: string; mark: Mark; rootBytes: string } | null {
  const begin = BEGIN.exec(line);
  return begin ? { id: begin[1], mark: (begin[2] ?? '') as Mark, rootBytes: begin[3] } : null;
}

export interface Located {
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

/** A marker of ours that makes no block. */
export interface DamagedMarker {
  id: string;
  /** Offset of the marker line's first character. */
  start: number;
  /** The marker line, without its line ending (bytes). */
  text: string;
  problem: 'no end' | 'no start' | 'repeated';
}

export interface Scan {
  blocks: Located[];
  damaged: DamagedMarker[];
}

interface Marker {
  kind: 'begin' | 'end';
  id: string;
  start: number;
  /** First character past the line (its line ending included). */
  end: number;
  text: string;
}

/** The line of `text` that starts at `offset`, with its line ending. */
export function lineAt(text: string, offset: number): string {
  const newline = text.indexOf('\n', offset);
  return text.slice(offset, newline < 0 ? text.length : newline + 1);
}

const bare = (line: string): string => (line.endsWith('\r\n') ? line.slice(0, -2) : line.endsWith('\n') ? line.slice(0, -1) : line);

/** Every line that is a begin or end marker of ours, in order. */
function markers(text: string): Marker[] {
  const found: Marker[] = [];
  for (let search = 0; ;) {
    const at = text.indexOf(MARKER_WORD, search);
    if (at < 0) return found;
    search = at + 1;
    const start = at - MARKER_HEAD;
    if (start < 0 || (start > 0 && text[start - 1] !== '\n')) continue; // not at the start of a line
    const head = text.slice(start, at);
    if (head !== '# >>> ' && head !== '# <<< ') continue;
    const line = lineAt(text, start);
    const content = bare(line);
    const begin = head === '# >>> ' ? parseBegin(content) : null;
    const end = head === '# <<< ' ? END.exec(content) : null;
    if (begin) found.push({ kind: 'begin', id: begin.id, start, end: start + line.length, text: content });
    else if (end) found.push({ kind: 'end', id: end[1], start, end: start + line.length, text: content });
    search = start + line.length;
  }
}

/** The block from `begin` to `end`: its names (our pairs of lines) and the lines someone else put in it. */
function blockBetween(text: string, begin: Marker, end: Marker): Located {
  const parsed = parseBegin(begin.text) as NonNullable<ReturnType<typeof parseBegin>>;
  const names = new Set<string>();
  const foreign: string[] = [];
  let pending: { line: string; name: string } | null = null; // a 127.0.0.1 line waiting for its ::1 line
  for (let offset = begin.end; offset < end.start;) {
    const line = lineAt(text, offset);
    offset += line.length;
    const content = bare(line);
    if (pending && content === `::1\t${pending.name}`) {
      names.add(pending.name);
      pending = null;
      continue;
    }
    if (pending) foreign.push(pending.line);
    const v4 = OURS_V4.exec(content);
    pending = v4 ? { line, name: v4[1] } : null;
    if (!v4) foreign.push(line);
  }
  if (pending) foreign.push(pending.line);
  return { id: parsed.id, rootBytes: parsed.rootBytes, start: begin.start, end: end.end, mark: parsed.mark, names: [...names], foreign };
}

/**
 * Our blocks, and our markers that make none. A begin marker is closed by the
 * next end marker with its id, unless another begin marker comes first; an end
 * marker of another id inside a block is someone else's line there (and a
 * damaged marker of its own).
 */
export function scanBlocks(text: string): Scan {
  const blocks: Located[] = [];
  const damaged: DamagedMarker[] = [];
  const seen = new Set<string>();
  const damage = (marker: Marker, problem: DamagedMarker['problem']): void => {
    damaged.push({ id: marker.id, start: marker.start, text: marker.text, problem });
  };
  let open: Marker | null = null;
  for (const marker of markers(text)) {
    if (marker.kind === 'begin') {
      if (open) damage(open, 'no end');
      open = marker;
    } else if (open && open.id === marker.id) {
      if (seen.has(open.id)) damage(open, 'repeated');
      else blocks.push(blockBetween(text, open, marker));
      seen.add(open.id);
      open = null;
    } else {
      damage(marker, 'no start');
    }
  }
  if (open) damage(open, 'no end');
  return { blocks, damaged: damaged.sort((a, b) => a.start - b.start) };
}

export function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let at = text.indexOf('\n', from); at >= 0 && at < to; at = text.indexOf('\n', at + 1)) count++;
  return count;
}

/** The 1-based line number of the line starting at `offset`. */
export const lineNumberAt = (text: string, offset: number): number => 1 + countNewlines(text, 0, offset);
