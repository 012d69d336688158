/**
 * A unified diff of a file the daemon changed, for people (`--dry-run`), in
 * time linear in the file's size. Our edits change one region of a file (a
 * block in or out, a port): the lines the same at both ends are set aside
 * before anything is compared, and only the region between them (with its
 * context lines) goes to the diff library. Its Myers diff costs the region's
 * size times the number of lines changed, so a region changed wholesale (a
 * block of 10,000 names replaced by another) is shown as its old lines out and
 * its new lines in: the library took 50 s on that one, blocking the daemon.
 */
import { formatPatch, structuredPatch } from 'diff';
import type { StructuredPatch, StructuredPatchHunk } from 'diff';

/** Lines of context around a change, as diff and git show them by default. */
const CONTEXT = 4;
/** Past this many lines changed, the region is shown whole instead of compared line by line. */
const MAX_EDIT_LENGTH = 200;

/** Offset of the start of the line `offset` is in. */
const lineStart = (text: string, offset: number): number => (offset === 0 ? 0 : text.lastIndexOf('\n', offset - 1) + 1);

const isLineStart = (text: string, offset: number): boolean => offset === 0 || text[offset - 1] === '\n';

/** Moves a line-start offset `count` lines back. */
function linesBack(text: string, offset: number, count: number): number {
  let at = offset;
  for (let i = 0; i < count && at > 0; i++) at = lineStart(text, at - 1);
  return at;
}

/** Moves a line-start offset `count` lines on (not past the end). */
function linesOn(text: string, offset: number, count: number): number {
  let at = offset;
  for (let i = 0; i < count && at < text.length; i++) {
    const newline = text.indexOf('\n', at);
    at = newline < 0 ? text.length : newline + 1;
  }
  return at;
}

/**
 * How many characters `a` and `b` share at their start. Compared in slices that
 * shrink (64 KiB, 4 KiB, ... 1): the daemon runs V8 in lite mode, where a loop
 * over 3 MB of characters in JavaScript takes most of a second.
 */
function commonPrefix(a: string, b: string): number {
  const shorter = Math.min(a.length, b.length);
  let at = 0;
  for (let size = 1 << 16; size >= 1; size >>= 4) {
    while (at + size <= shorter && a.slice(at, at + size) === b.slice(at, at + size)) at += size;
  }
  return at;
}

/** How many characters `a` and `b` share at their end, at most `limit`. */
function commonSuffix(a: string, b: string, limit: number): number {
  let count = 0;
  for (let size = 1 << 16; size >= 1; size >>= 4) {
    while (count + size <= limit && a.slice(a.length - count - size, a.length - count) === b.slice(b.length - count - size, b.length - count)) count += size;
  }
  return count;
}

function countNewlines(text: string, to: number): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at >= 0 && at < to; at = text.indexOf('\n', at + 1)) count++;
  return count;
}

/** The lines of `text` (each with its line ending, the last maybe without). */
function linesOf(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** One hunk showing `old` replaced whole by `next` between context lines, as the diff library writes hunks. */
function wholesaleHunk(start: number, before: string, old: string, next: string, after: string): StructuredPatchHunk {
  const lines: string[] = [];
  const add = (prefix: string, text: string): number => {
    const all = linesOf(text);
    for (const line of all) {
      lines.push(prefix + line.replace(/\n$/, ''));
      if (!line.endsWith('\n')) lines.push('\\ No newline at end of file');
    }
    return all.length;
  };
  const context = add(' ', before);
  const removed = add('-', old);
  const added = add('+', next);
  const trailing = add(' ', after);
  return { oldStart: start, oldLines: context + removed + trailing, newStart: start, newLines: context + added + trailing, lines };
}

/**
 * The unified diff of `file` from `before` to `after` ('' when they are the same);
 * past `maxEditLength` lines changed, the changed region is shown whole.
 */
export function unifiedDiff(file: string, before: string, after: string, maxEditLength = MAX_EDIT_LENGTH): string {
  if (before === after) return '';
  // The first and last characters that differ, widened to whole lines, then to the context around them.
  const prefix = commonPrefix(before, after);
  const suffix = commonSuffix(before, after, Math.min(before.length, after.length) - prefix);
  const changeStart = lineStart(before, prefix);
  const start = linesBack(before, changeStart, CONTEXT);
  // The common end, shortened to whole lines in both texts.
  let commonEnd = suffix;
  while (commonEnd > 0 && !(isLineStart(before, before.length - commonEnd) && isLineStart(after, after.length - commonEnd))) commonEnd--;
  const oldEnd = before.length - commonEnd;
  const newEnd = after.length - commonEnd;
  const tailEnd = linesOn(before, oldEnd, CONTEXT) - oldEnd;
  const firstLine = countNewlines(before, start) + 1;
  const old = before.slice(start, oldEnd + tailEnd);
  const next = after.slice(start, newEnd + tailEnd);
  const patch: StructuredPatch | undefined = structuredPatch(file, file, old, next, 'now', 'after', { context: CONTEXT, maxEditLength });
  const hunks = patch
    ? patch.hunks.map((h) => ({ ...h, oldStart: h.oldStart + firstLine - 1, newStart: h.newStart + firstLine - 1 }))
    : [
        wholesaleHunk(
          firstLine,
          before.slice(start, changeStart),
          before.slice(changeStart, oldEnd),
          after.slice(changeStart, newEnd),
          before.slice(oldEnd, oldEnd + tailEnd),
        ),
      ];
  return formatPatch({ oldFileName: file, newFileName: file, oldHeader: 'now', newHeader: 'after', hunks });
}
