/**
 * Python's rules for the indentation of logical lines, as its tokenizer and
 * parser apply them: a deeper line only after a line ending in ":" and always
 * after one, a shallower line back to a level used before, and tabs and
 * spaces that compare the same whatever a tab's width (else TabError).
 * Blank lines, comment lines and lines inside brackets do not count. (A
 * header ending in ":" at the very end of the source is the tokenizer's to see.)
 */
import { PythonSyntaxError } from './pythonErrors';

/**
 * A tab advances to the next multiple of 8, as in Python; `alt` counts it as 1, to catch what depends on that.
 * Indentation split by a backslash continuation counts up to the first backslash, as CPython's tokenizer does
 * (and, as it does, to the end when that backslash is in the first column).
 */
function measure(prefix: string): { col: number; alt: number } {
  let col = 0;
  let alt = 0;
  let continued: number | null = null;
  for (const c of prefix) {
    if (c === ' ') {
      col++;
      alt++;
    } else if (c === '\t') {
      col = (Math.floor(col / 8) + 1) * 8;
      alt++;
    } else if (c === '\f') {
      col = alt = 0;
    } else if (c === '\\') {
      continued ??= col;
    }
  }
  if (continued) return { col: continued, alt: continued };
  return { col, alt };
}

export class Indentation {
  private readonly levels = [{ col: 0, alt: 0 }];

  /** A logical line starts on `line` after `prefix`; `opensBlock`: the logical line before it ended in ":". */
  next(prefix: string, line: number, opensBlock: boolean): void {
    const { col, alt } = measure(prefix);
    const fail = (why: string): never => {
      throw new PythonSyntaxError(why, line);
    };
    const tabs = 'inconsistent use of tabs and spaces in indentation';
    let top = this.levels[this.levels.length - 1];
    if (col > top.col) {
      if (alt <= top.alt) fail(tabs);
      if (!opensBlock) fail('unexpected indent');
      this.levels.push({ col, alt });
      return;
    }
    while (col < top.col) {
      this.levels.pop();
      top = this.levels[this.levels.length - 1];
    }
    if (col !== top.col) fail('unindent does not match any outer indentation level');
    if (alt !== top.alt) fail(tabs);
    if (opensBlock) fail('expected an indented block');
  }
}
