/**
 * Python string literals as its tokenizer reads them: the prefixes Python
 * accepts (r, u, b, f and their pairs, in any case), single and triple
 * quotes, and the escapes of str and bytes decoded as Python decodes them,
 * with Python's errors for the malformed ones. A named escape (`\N{BULLET}`)
 * is valid, but its character comes from Unicode's name table, which only
 * Python carries: such a string is read, and its value is unknown (said so
 * where a setting needs it), never guessed.
 */
import { PythonSyntaxError } from './pythonErrors';

/** A string literal's start: an accepted prefix and the opening quote. */
const STRING_START = /(?:[rR][bBfF]?|[bBfF][rR]?|[uU])?('''|"""|'|")/y;
/** A run of characters that can neither end a literal (a quote) or a line, nor start an escape. */
const ORDINARY = /[^'"\\\n]*/y;

export interface ScannedString {
  /** Offset just after the closing quote. */
  end: number;
  /** The line the literal ends on (triple-quoted ones span lines). */
  endLine: number;
  /** An f-string, whose value is computed. */
  formatted: boolean;
  /** A bytes literal (b"..."), which Python never joins with a str one. */
  bytes: boolean;
  /** The decoded value; undefined for an f-string or when a named escape leaves it unknown. */
  value?: string;
  /** The first named escape, when one leaves the value unknown. */
  namedEscape?: string;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\n': '',
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

const ESCAPE = /\\(\n|[0-7]{1,3}|x[0-9a-fA-F]{0,2}|u[0-9a-fA-F]{0,4}|U[0-9a-fA-F]{0,8}|N(?:\{[^}\n]*\}?)?|[\s\S])/g;
/** What `\N{...}` may name: Unicode names and aliases are letters, digits, spaces and hyphens. */
const CHARACTER_NAME = /^N\{[A-Za-z0-9 -]+\}$/;

/** Decodes the escapes of a (non-raw) literal's body; `bytes` knows no \u, \U or \N. */
function decode(body: string, bytes: boolean, line: number): { value: string } | { namedEscape: string } {
  let namedEscape: string | undefined;
  const fail = (why: string): never => {
    throw new PythonSyntaxError(why, line);
  };
  const value = body.replace(ESCAPE, (whole, esc: string) => {
    if (esc in SIMPLE_ESCAPES) return SIMPLE_ESCAPES[esc];
    if (/^[0-7]/.test(esc)) return String.fromCodePoint(parseInt(esc, 8));
    if (esc[0] === 'x') return esc.length === 3 ? String.fromCodePoint(parseInt(esc.slice(1), 16)) : fail('truncated \\xXX escape');
    if (bytes) return whole; // \u, \U and \N are no escapes in bytes: kept as written
    if (esc[0] === 'u' || esc[0] === 'U') {
      if (esc.length !== (esc[0] === 'u' ? 5 : 9)) fail(`truncated \\${esc[0] === 'u' ? 'uXXXX' : 'UXXXXXXXX'} escape`);
      const code = parseInt(esc.slice(1), 16);
      return code > 0x10ffff ? fail('illegal Unicode character') : String.fromCodePoint(code);
    }
    if (esc[0] === 'N') {
      if (!CHARACTER_NAME.test(esc))
        fail(esc.startsWith('N{') && esc.endsWith('}') && esc.length > 3 ? 'unknown Unicode character name' : 'malformed \\N character escape');
      namedEscape ??= whole;
      return '';
    }
    return whole; // Python keeps unknown escapes as written.
  });
  return namedEscape === undefined ? { value } : { namedEscape };
}

/** The string literal starting at `pos` (on `line`), or null when none starts there. */
export function scanString(text: string, pos: number, line: number): ScannedString | null {
  STRING_START.lastIndex = pos;
  const start = STRING_START.exec(text);
  if (!start) return null;
  const prefix = start[0].slice(0, start[0].length - start[1].length).toLowerCase();
  const quote = start[1];
  const startLine = line;
  const bodyStart = pos + start[0].length;
  let i = bodyStart;
  for (;;) {
    // Past what can neither end the literal nor a line in one step: settings can hold thousands of strings.
    ORDINARY.lastIndex = i;
    i += ORDINARY.exec(text)?.[0].length ?? 0;
    if (i >= text.length) {
      const what = quote.length === 3 ? 'unterminated triple-quoted string literal' : 'unterminated string literal';
      throw new PythonSyntaxError(`${what} (detected at line ${line})`, startLine);
    }
    if (text.startsWith(quote, i)) break;
    const c = text[i];
    if (c === '\n') {
      if (quote.length === 1) throw new PythonSyntaxError(`unterminated string literal (detected at line ${line})`, startLine);
      line++;
    }
    if (c === '\\' && i + 1 < text.length) {
      if (text[i + 1] === '\n') line++;
      i += 2;
      continue;
    }
    i++;
  }
  const body = text.slice(bodyStart, i);
  const end = i + quote.length;
  const bytes = prefix.includes('b');
  if (bytes && /[^\0-\x7f]/.test(body)) throw new PythonSyntaxError('bytes can only contain ASCII literal characters', startLine);
  const formatted = prefix.includes('f');
  if (formatted) return { end, endLine: line, formatted, bytes };
  const decoded = prefix.includes('r') || !body.includes('\\') ? { value: body } : decode(body, bytes, startLine);
  return { end, endLine: line, formatted, bytes, ...decoded };
}
