/**
 * A line of Python source without its comment, for the line scans of the
 * settings (servingFacts.ts, environmentBranch.ts) that look at code only.
 */

/** A line of Python without its comment: the first `#` outside a string literal on that line. */
export function withoutComment(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#') return line.slice(0, i);
  }
  return line;
}
