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
