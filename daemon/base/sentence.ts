/**
 * Turning messages (ours, Python's, a library's) into the one sentence a
 * person reads. Messages arrive with or without a final period, and joining
 * them blindly gave "… DEBUG is False.." or "… kdesudo.; the hosts file …":
 * every place that ends a sentence with, or embeds, another message uses these.
 */

const FINAL_PUNCTUATION = /[.!?…]$/;

/** `text` ended exactly once: trimmed, with a period unless it already ends with . ! ? or …. */
export function endSentence(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return trimmed;
  return FINAL_PUNCTUATION.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** `text` as a clause inside a longer sentence: trimmed, without its final period (a "?" or "!" stays). */
export function asClause(text: string): string {
  return text.trim().replace(/\.+$/, '');
}

/**
 * The first sentence of a longer message, without its period: what a library's
 * multi-line error (a command, its output, a hint) is about. The first line when
 * it has no sentence break, and the whole text when that is all there is.
 */
export function firstSentence(text: string): string {
  const firstLine = text.trim().split(/\r?\n/)[0] ?? '';
  const match = /^(.*?[.!?])(\s|$)/.exec(firstLine);
  return asClause(match ? match[1] : firstLine);
}

/** The last line of a program's output that says anything (its error, usually), or null. */
export function lastLine(output: string): string | null {
  return (
    output
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter(Boolean)
      .pop() ?? null
  );
}

/** How many items a sentence lists before it says "and N more". */
const LISTED = 3;

/** `a`, `a and b`, `a, b and c`, `a, b, c and 2 more`: a list inside a sentence, kept short. */
export function listed(items: readonly string[]): string {
  const shown = items.length > LISTED + 1 ? [...items.slice(0, LISTED), `${items.length - LISTED} more`] : [...items];
  return shown.length === 1 ? shown[0] : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}

/** Characters a sentence must not show as they are: line breaks (which would split it) and invisible ones. */
const HIDDEN = /[\p{C}\p{Zl}\p{Zp}]/gu;

/** `text` between double quotes on one line: line breaks and invisible characters as escapes (`\n`, `\u{200B}`). */
export function quoted(text: string): string {
  return JSON.stringify(text).replace(HIDDEN, (c) => `\\u{${(c.codePointAt(0) ?? 0).toString(16).toUpperCase()}}`);
}

/** `text` (a person's input, a path, a name) as a sentence shows it: as it is, or quoted() when something would hide in it. */
export function oneLine(text: string): string {
  return new RegExp(HIDDEN.source, 'u').test(text) ? quoted(text) : text;
}
