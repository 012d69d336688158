/**
 * Python source as tokens, for reading literals without running anything:
 * names, numbers, strings (every quote style, raw and escaped, decoded),
 * operators and logical line ends, each with its line. Comments, line
 * continuations and newlines inside brackets are dropped, as Python does.
 *
 * What Python 3 accepts is accepted (Unicode identifiers, PEP 3131, named
 * escapes), and what its tokenizer refuses is refused with PythonSyntaxError
 * on the line Python names: brackets never closed or closed by the wrong one,
 * unterminated strings, bad escapes, characters and number literals,
 * brackets nested deeper than Python allows, and indentation. A file Python
 * cannot compile is unreadable to Django too: its settings are reported as
 * such, never read past the error.
 */
import { PythonSyntaxError } from './pythonErrors';
import { Indentation } from './pythonIndent';
import { scanString } from './pythonStrings';

export { NotLiteralError, PythonSyntaxError } from './pythonErrors';

export type TokenKind = 'name' | 'number' | 'string' | 'op' | 'newline' | 'end';
export interface Token {
  kind: TokenKind;
  text: string;
  /** Decoded value of a string token (undefined when a named escape leaves it unknown). */
  value?: string;
  /** The named escape (`\N{BULLET}`) that leaves a string's value unknown. */
  namedEscape?: string;
  line: number;
}

// Python's number grammar (docs: "Numeric literals"); `_` only between digits.
const DIGITS = String.raw`\d(?:_?\d)*`;
const EXPONENT = String.raw`[eE][+-]?${DIGITS}`;
const POINT_FLOAT = String.raw`(?:${DIGITS})?\.${DIGITS}|${DIGITS}\.`;
const FLOAT = String.raw`(?:${POINT_FLOAT})(?:${EXPONENT})?|${DIGITS}${EXPONENT}`;
const INTEGER = String.raw`0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|[1-9](?:_?\d)*|0+(?:_?0)*`;
const NUMBER = new RegExp(String.raw`(?:(?:${FLOAT}|${DIGITS})[jJ]|${FLOAT}|${INTEGER})`, 'y');
/** Keywords Python 3.11 still lets follow a number directly (`1if x else 2`). */
const AFTER_NUMBER = /and|else|for|if|in|is|not|or/y;
/** What may be part of a name: Python takes every character past ASCII, then checks the whole name. */
const NAME_RUN = /[A-Za-z0-9_\u0080-\u{10FFFF}]+/uy;
const IDENTIFIER = /^[\p{XID_Start}_]\p{XID_Continue}*$/u;
/** A logical line's indentation, backslash continuations included (CPython reads them as part of it). */
const INDENT = /(?:[ \t\f]|\\\n)*/y;

const OPERATORS = [
  ...['**=', '//=', '>>=', '<<=', '...'],
  ...['**', '//', '<<', '>>', '<=', '>=', '==', '!=', '->', ':=', '+=', '-=', '*=', '/=', '%=', '@=', '&=', '|=', '^='],
  ...['(', ')', '[', ']', '{', '}', ',', ':', '.', ';', '@', '=', '+', '-', '*', '/', '%', '<', '>', '|', '&', '^', '~'],
];
/** The operators by their first character, longest first: one short list to try per operator read. */
const OPERATORS_BY_START = new Map<string, string[]>();
for (const op of OPERATORS) OPERATORS_BY_START.set(op[0], [...(OPERATORS_BY_START.get(op[0]) ?? []), op]);
const OPENING = new Set(['(', '[', '{']);
/** How many brackets Python lets nest (its tokenizer's MAXLEVEL): one more is a SyntaxError, which also bounds the literal parser's recursion. */
const MAX_BRACKET_LEVEL = 200;
const CLOSING: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

const codePoint = (c: string): string => `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/** The number literal at `pos`, as long as Python reads it; a PythonSyntaxError for what Python refuses. */
function scanNumber(text: string, pos: number, line: number): string {
  NUMBER.lastIndex = pos;
  const number = NUMBER.exec(text)?.[0] ?? '';
  const end = pos + number.length;
  NAME_RUN.lastIndex = end;
  AFTER_NUMBER.lastIndex = end;
  if (NAME_RUN.test(text) && !AFTER_NUMBER.test(text)) {
    const base = text.slice(pos, pos + 2).toLowerCase();
    const kind = base === '0x' ? 'hexadecimal' : base === '0o' ? 'octal' : base === '0b' ? 'binary' : 'decimal';
    throw new PythonSyntaxError(`invalid ${kind} literal`, line);
  }
  return number;
}

/** The name at `pos` as Python knows it (NFKC, PEP 3131); a PythonSyntaxError for a character no name may hold. */
function scanName(text: string, pos: number, line: number): { text: string; end: number } {
  NAME_RUN.lastIndex = pos;
  const written = NAME_RUN.exec(text)?.[0] ?? '';
  const name = written.normalize('NFKC');
  if (!IDENTIFIER.test(name)) {
    const bad = [...name].find((c, i) => !(i === 0 ? /[\p{XID_Start}_]/u : /\p{XID_Continue}/u).test(c)) ?? name;
    const why = /[\p{C}\p{Z}]/u.test(bad) ? `invalid non-printable character ${codePoint(bad)}` : `invalid character '${bad}' (${codePoint(bad)})`;
    throw new PythonSyntaxError(why, line);
  }
  return { text: name, end: pos + written.length };
}

/** Splits Python source into tokens; `newline` marks the end of each logical line. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  // Python reads source files with universal newlines, after an optional UTF-8 byte order mark.
  const text = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  let pos = 0;
  let line = 1;
  const open: { char: string; line: number }[] = [];
  const indentation = new Indentation();
  let lineStart = true;
  /** Whether the run of adjacent string literals being read is bytes. */
  let stringsAreBytes = false;
  const last = (): Token | undefined => tokens[tokens.length - 1];
  // Whether the logical line that just ended opens a block (its last token is ":").
  const opensBlock = (): boolean => tokens.length > 1 && tokens[tokens.length - 2].kind === 'op' && tokens[tokens.length - 2].text === ':';
  while (pos < text.length) {
    if (lineStart) {
      lineStart = false;
      INDENT.lastIndex = pos;
      const prefix = INDENT.exec(text)?.[0] ?? '';
      pos += prefix.length;
      line += prefix.split('\n').length - 1;
      const next = text[pos];
      // Blank and comment-only lines have no indentation of their own.
      if (next !== undefined && next !== '\n' && next !== '#') indentation.next(prefix, line, opensBlock());
      continue;
    }
    const ch = text[pos];
    if (ch === '\n') {
      if (open.length === 0) {
        if (tokens.length > 0 && last()?.kind !== 'newline') tokens.push({ kind: 'newline', text: '\n', line });
        lineStart = true;
      }
      line++;
      pos++;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\f') {
      pos++;
      continue;
    }
    if (ch === '#') {
      const end = text.indexOf('\n', pos);
      pos = end === -1 ? text.length : end;
      continue;
    }
    if (ch === '\\') {
      if (text[pos + 1] !== '\n') throw new PythonSyntaxError('unexpected character after line continuation character', line);
      pos += 2;
      line++;
      continue;
    }
    const string = scanString(text, pos, line);
    if (string) {
      // Adjacent literals are joined, and Python refuses to join bytes with str.
      if (last()?.kind === 'string' || last()?.text === 'f-string') {
        if (stringsAreBytes !== string.bytes) throw new PythonSyntaxError('cannot mix bytes and nonbytes literals', line);
      } else stringsAreBytes = string.bytes;
      const written = text.slice(pos, string.end);
      if (string.formatted) tokens.push({ kind: 'name', text: 'f-string', line });
      else tokens.push({ kind: 'string', text: written, value: string.value, namedEscape: string.namedEscape, line });
      pos = string.end;
      line = string.endLine;
      continue;
    }
    if (/\d/.test(ch) || (ch === '.' && /\d/.test(text[pos + 1] ?? ''))) {
      const number = scanNumber(text, pos, line);
      tokens.push({ kind: 'number', text: number, line });
      pos += number.length;
      continue;
    }
    if (/[A-Za-z_]/.test(ch) || ch.charCodeAt(0) >= 0x80) {
      const name = scanName(text, pos, line);
      tokens.push({ kind: 'name', text: name.text, line });
      pos = name.end;
      continue;
    }
    const op = OPERATORS_BY_START.get(ch)?.find((o) => text.startsWith(o, pos));
    if (!op) throw new PythonSyntaxError(`invalid syntax: unexpected character ${JSON.stringify(ch)}`, line);
    if (OPENING.has(op)) {
      if (open.length >= MAX_BRACKET_LEVEL) throw new PythonSyntaxError('too many nested parentheses', line);
      open.push({ char: op, line });
    }
    if (op in CLOSING) {
      const opener = open.pop();
      if (!opener) throw new PythonSyntaxError(`unmatched '${op}'`, line);
      if (opener.char !== CLOSING[op]) {
        const where = opener.line === line ? '' : ` on line ${opener.line}`;
        throw new PythonSyntaxError(`closing parenthesis '${op}' does not match opening parenthesis '${opener.char}'${where}`, line);
      }
    }
    tokens.push({ kind: 'op', text: op, line });
    pos += op.length;
  }
  const unclosed = open.pop();
  if (unclosed) throw new PythonSyntaxError(`'${unclosed.char}' was never closed`, unclosed.line);
  if (tokens.length > 0 && last()?.kind !== 'newline') tokens.push({ kind: 'newline', text: '\n', line });
  const header = tokens[tokens.length - 2];
  if (header?.kind === 'op' && header.text === ':') throw new PythonSyntaxError('expected an indented block', header.line);
  tokens.push({ kind: 'end', text: '', line });
  return tokens;
}
