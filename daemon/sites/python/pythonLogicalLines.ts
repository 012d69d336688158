/**
 * The logical lines of Python code whose comments and strings are blanked
 * (pythonCodeOnly.ts), each with its indentation: brackets and a trailing
 * backslash continue a line, as in Python. Lenient: brackets never closed
 * run to the end of the source.
 */
import { closesBracket, opensBracket } from './pythonCodeChars';

export interface LogicalLine {
  /** Offset of its first code character. */
  start: number;
  /** Offset of the newline that ends it (or the source's end). */
  end: number;
  /** The column it starts at (a tab to the next multiple of 8, as Python counts). */
  indent: number;
}

/** The logical lines of `code` that hold code: brackets and a trailing backslash continue a line. */
export function logicalLines(code: string): LogicalLine[] {
  const lines: LogicalLine[] = [];
  let depth = 0;
  let start = -1;
  let indent = 0;
  let column = 0;
  for (let i = 0; i <= code.length; i++) {
    const c = i < code.length ? code[i] : '\n';
    if (c === '\n') {
      const continued = code[i - 1] === '\\' || depth > 0;
      if (!continued || i === code.length) {
        if (start >= 0) lines.push({ start, end: i, indent });
        start = -1;
        depth = 0;
      }
      column = 0;
      continue;
    }
    if (start < 0 && c !== ' ' && c !== '\t' && c !== '\f') {
      start = i;
      indent = column;
    }
    column = c === '\t' ? (Math.floor(column / 8) + 1) * 8 : column + 1;
    if (opensBracket(c)) depth++;
    else if (closesBracket(c)) depth = Math.max(0, depth - 1);
  }
  return lines;
}
