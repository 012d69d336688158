/**
 * The character tests shared by the scans over Python code whose comments
 * and strings are blanked (pythonCodeOnly.ts, pythonImportTimeCode.ts,
 * siteReadsAtImport.ts): names, keywords and brackets, and the scan to the
 * end of an expression at its own bracket depth.
 */

// Character tests by hand, not by regex: they run once or twice per character of files up to 2 MB.
/** Whether `c` can be part of a name (ASCII letters, digits, `_`, and whatever is past ASCII, as Python's names may be). */
export function isNameChar(c: string | undefined): boolean {
  if (c === undefined) return false;
  const code = c.charCodeAt(0);
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95 || code >= 0x80;
}
export const opensBracket = (c: string): boolean => c === '(' || c === '[' || c === '{';
export const closesBracket = (c: string): boolean => c === ')' || c === ']' || c === '}';

/** Whether the keyword `word` starts at `i` (not inside a longer name). */
export const keywordAt = (code: string, i: number, word: string): boolean =>
  code.startsWith(word, i) && !isNameChar(code[i - 1]) && !isNameChar(code[i + word.length]);

/**
 * The first offset in `code[from, to)` at bracket depth 0 (relative to `from`) where `stop` says
 * so, or where a closing bracket leaves the expression; `to` when none.
 */
export function scanTo(code: string, from: number, to: number, stop: (i: number) => boolean): number {
  let depth = 0;
  for (let i = from; i < to; i++) {
    const c = code[i];
    if (depth === 0 && stop(i)) return i;
    if (opensBracket(c)) depth++;
    else if (closesBracket(c) && --depth < 0) return i;
  }
  return to;
}
