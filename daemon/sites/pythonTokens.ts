/**
 * Python source as tokens, for reading literals without running anything:
 * names, numbers, strings (every quote style, raw and escaped, decoded),
 * operators and logical line ends, each with its line. Comments, line
 * continuations and newlines inside brackets are dropped, as Python does.
 */

export class NotLiteralError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

export type TokenKind = 'name' | 'number' | 'string' | 'op' | 'newline' | 'end';
export interface Token {
  kind: TokenKind;
  text: string;
  /** Decoded value of a string token. */
  value?: string;
  line: number;
}

const STRING_START = /^([rRuUbBfF]{0,2})('''|"""|'|")/;
const NUMBER = /^(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*)?\.?\d[\d_]*(?:[eE][+-]?\d+)?)/;
const NAME = /^[A-Za-z_\u00C0-\uFFFF][\w\u00C0-\uFFFF]*/;
const OPERATORS = [
  '**',
  '==',
  '!=',
  '<=',
  '>=',
  '//',
  '->',
  ':=',
  '+=',
  '-=',
  '|=',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ',',
  ':',
  '=',
  '.',
  '+',
  '-',
  '*',
  '/',
  '%',
  '<',
  '>',
  '|',
  '&',
  '^',
  '~',
  '@',
  ';',
];

const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '0': '\0',
  '\n': '',
};

function decodeEscapes(body: string, line: number): string {
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|N\{[^}]*\}|[\s\S])/g, (whole, esc: string) => {
    if (esc in SIMPLE_ESCAPES) return SIMPLE_ESCAPES[esc];
    if (/^[xuU]/.test(esc)) return String.fromCodePoint(parseInt(esc.slice(1), 16));
    if (esc.startsWith('N{')) throw new NotLiteralError(`named escape ${whole} is not supported`, line);
    return whole; // Python keeps unknown escapes as written.
  });
}

/** Splits Python source into tokens; `newline` marks the end of each logical line. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  let line = 1;
  let depth = 0;
  const text = source.replace(/^\uFEFF/, '');
  while (pos < text.length) {
    const rest = text.slice(pos);
    const ch = text[pos];
    if (ch === '\n') {
      if (depth === 0 && tokens.length > 0 && tokens[tokens.length - 1].kind !== 'newline') {
        tokens.push({ kind: 'newline', text: '\n', line });
      }
      line++;
      pos++;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\f') {
      pos++;
      continue;
    }
    if (ch === '#') {
      const end = text.indexOf('\n', pos);
      pos = end === -1 ? text.length : end;
      continue;
    }
    if (ch === '\\' && (text[pos + 1] === '\n' || (text[pos + 1] === '\r' && text[pos + 2] === '\n'))) {
      pos += text[pos + 1] === '\n' ? 2 : 3;
      line++;
      continue;
    }
    const str = STRING_START.exec(rest);
    if (str && (str[1] === '' || /^[rRuUbBfF]+$/.test(str[1]))) {
      const prefix = str[1].toLowerCase();
      const quote = str[2];
      const startLine = line;
      const startPos = pos;
      let i = pos + str[0].length;
      let body = '';
      for (;;) {
        if (i >= text.length) throw new NotLiteralError('unterminated string', startLine);
        if (text.startsWith(quote, i)) break;
        const c = text[i];
        if (c === '\n') {
          if (quote.length === 1) throw new NotLiteralError('unterminated string', startLine);
          line++;
        }
        if (c === '\\' && i + 1 < text.length) {
          if (text[i + 1] === '\n') line++;
          body += c + text[i + 1];
          i += 2;
          continue;
        }
        body += c;
        i++;
      }
      pos = i + quote.length;
      if (prefix.includes('f')) {
        tokens.push({ kind: 'name', text: 'f-string', line: startLine });
        continue;
      }
      const value = prefix.includes('r') ? body : decodeEscapes(body, startLine);
      tokens.push({ kind: 'string', text: text.slice(startPos, pos), value, line: startLine });
      continue;
    }
    const num = NUMBER.exec(rest);
    if (num && num[0].length > 0 && /[\d.]/.test(ch) && !(ch === '.' && !/\d/.test(text[pos + 1] ?? ''))) {
      tokens.push({ kind: 'number', text: num[0], line });
      pos += num[0].length;
      continue;
    }
    const name = NAME.exec(rest);
    if (name) {
      tokens.push({ kind: 'name', text: name[0], line });
      pos += name[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, pos));
    if (!op) throw new NotLiteralError(`unexpected character ${JSON.stringify(ch)}`, line);
    if ('([{'.includes(op)) depth++;
    if (')]}'.includes(op)) depth = Math.max(0, depth - 1);
    tokens.push({ kind: 'op', text: op, line });
    pos += op.length;
  }
  if (tokens.length > 0 && tokens[tokens.length - 1].kind !== 'newline') tokens.push({ kind: 'newline', text: '\n', line });
  tokens.push({ kind: 'end', text: '', line });
  return tokens;
}
