/**
 * Python source with every comment and the contents of every string literal
 * blanked, same length and lines, so a scan of the code finds nothing in
 * them. An f-string's `{...}` stays code, as Python evaluates it. Lenient:
 * an unterminated literal is blanked to the end of its line (or the
 * source), never thrown on.
 */
import { BlankableText } from './blankableText';
import { isNameChar } from './pythonCodeChars';

const QUOTES = ['"""', "'''", '"', "'"];
/** The prefixes Python accepts before a string's quote (r, b, u, f and their pairs). */
const STRING_PREFIX = /^(?:[rRbBuUfF]|[rR][bBfF]|[bBfF][rR])$/;

/**
 * Blanks the string literal whose quote starts at `start` (its prefix before it), keeping the
 * quotes; in an f-string, what is inside `{...}` is kept as code, its own strings blanked in turn.
 * Returns the offset after the literal (the end of the line or source when it never ends).
 */
function blankString(text: string, out: BlankableText, start: number, formatted: boolean): number {
  const quote = QUOTES.find((q) => text.startsWith(q, start)) ?? '"';
  let i = start + quote.length;
  let braces = 0;
  while (i < text.length) {
    const c = text[i];
    if (braces === 0 && text.startsWith(quote, i)) return i + quote.length;
    if (c === '\n' && quote.length === 1) return i; // unterminated: Python refuses it, the scan goes on
    if (formatted && braces > 0) {
      const nested = QUOTES.find((q) => text.startsWith(q, i));
      if (nested) {
        i = blankString(text, out, i, false);
        continue;
      }
      if (c === '{') braces++;
      else if (c === '}') braces--;
      // The closing brace is blanked as the opening one was; a triple-quoted f-string's expression may span lines.
      if ((c === '}' && braces === 0) || c === '\n') out.blankAll(i, i + 1);
      i++;
      continue;
    }
    if (formatted && c === '{' && text[i + 1] !== '{') {
      braces = 1;
      out.blankAll(i, i + 1);
      i++;
      continue;
    }
    if (formatted && (c === '{' || c === '}')) {
      out.blankAll(i, i + 2); // `{{` and `}}` are literal braces
      i += 2;
      continue;
    }
    const width = c === '\\' ? 2 : 1; // an escaped quote does not end the literal, raw or not
    out.blankAll(i, i + width);
    i += width;
  }
  return i;
}

/** `text` with every comment and the contents of every string literal blanked (same length). */
export function codeOnly(text: string): string {
  const out = new BlankableText(text);
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '#') {
      const end = text.indexOf('\n', i);
      const stop = end === -1 ? text.length : end;
      out.blank(i, stop);
      i = stop;
    } else if (c === '"' || c === "'") {
      i = blankString(text, out, i, false);
    } else if (isNameChar(c)) {
      let end = i;
      while (end < text.length && isNameChar(text[end])) end++;
      const prefix = end - i <= 2 && (text[end] === '"' || text[end] === "'") ? text.slice(i, end) : '';
      i = STRING_PREFIX.test(prefix) ? blankString(text, out, end, /f/i.test(prefix)) : end;
    } else i++;
  }
  return out.toString();
}
