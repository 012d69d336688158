/**
 * Reads Python literals out of source text without running it: project code is
 * never executed just to list its sites (untrusted workspaces included).
 *
 * Understands what settings files use for data: dict/list/tuple displays,
 * `dict(key=value)` calls, strings in both quote styles (triple, raw, adjacent
 * concatenation), numbers, True/False/None, comments, line continuations and
 * trailing commas. Anything else is reported as not statically readable.
 */

export type PyValue = string | number | boolean | null | PyValue[] | PyDict;
export interface PyDict {
  [key: string]: PyValue;
}

const keyLines = new WeakMap<PyDict, Map<string, number>>();

/** Sets a key as an own property: a "__proto__" key in project settings must stay data. */
function setKey(dict: PyDict, key: string, value: PyValue, line: number): void {
  Object.defineProperty(dict, key, { value, enumerable: true, writable: true, configurable: true });
  const lines = keyLines.get(dict) ?? new Map<string, number>();
  lines.set(key, line);
  keyLines.set(dict, lines);
}

/** The source line a key of a parsed dict was written on, so problems point at the right line. */
export function lineOfKey(dict: PyDict, key: string): number | undefined {
  return keyLines.get(dict)?.get(key);
}

export class NotLiteralError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

type TokenKind = 'name' | 'number' | 'string' | 'op' | 'newline' | 'end';
interface Token {
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

class LiteralParser {
  private pos: number;
  constructor(
    private readonly tokens: Token[],
    start: number,
  ) {
    this.pos = start;
  }

  private peek(): Token {
    return this.tokens[this.pos];
  }

  private next(): Token {
    return this.tokens[this.pos++];
  }

  private isOp(text: string): boolean {
    const t = this.peek();
    return t.kind === 'op' && t.text === text;
  }

  private expectOp(text: string): void {
    const t = this.next();
    if (t.kind !== 'op' || t.text !== text) throw this.notLiteral(t, `expected "${text}"`);
  }

  private notLiteral(t: Token, why: string): NotLiteralError {
    const found = t.kind === 'newline' || t.kind === 'end' ? 'the end of the line' : `"${t.text}"`;
    return new NotLiteralError(`${why}, found ${found}`, t.line);
  }

  /** Parses one whole expression statement up to the end of its logical line. */
  parseStatementValue(): PyValue {
    const value = this.parseValue();
    const t = this.peek();
    if (t.kind !== 'newline' && t.kind !== 'end') {
      throw this.notLiteral(t, 'the value is computed (not a plain literal)');
    }
    return value;
  }

  parseValue(): PyValue {
    const t = this.peek();
    if (t.kind === 'string') return this.parseStrings();
    if (t.kind === 'number') return this.parseNumber(1);
    if (t.kind === 'op') {
      if (t.text === '-' || t.text === '+') {
        this.next();
        if (this.peek().kind !== 'number') throw this.notLiteral(this.peek(), 'expected a number');
        return this.parseNumber(t.text === '-' ? -1 : 1);
      }
      if (t.text === '{') return this.parseDict();
      if (t.text === '[') return this.parseSequence('[', ']');
      if (t.text === '(') return this.parseParenthesized();
    }
    if (t.kind === 'name') {
      if (t.text === 'True' || t.text === 'False' || t.text === 'None') {
        this.next();
        return t.text === 'None' ? null : t.text === 'True';
      }
      if (t.text === 'dict' && this.tokens[this.pos + 1]?.text === '(') return this.parseDictCall();
      if (t.text === 'f-string') throw new NotLiteralError('an f-string is computed at import time', t.line);
      throw new NotLiteralError(`"${t.text}" is computed at import time`, t.line);
    }
    throw this.notLiteral(t, 'expected a literal value');
  }

  private parseStrings(): string {
    let value = '';
    while (this.peek().kind === 'string') value += this.next().value ?? '';
    return value;
  }

  private parseNumber(sign: number): number {
    const t = this.next();
    const n = Number(t.text.replace(/_/g, '')); // Number() reads 0x/0o/0b too
    if (!Number.isFinite(n)) throw new NotLiteralError(`"${t.text}" is not a number`, t.line);
    return sign * n;
  }

  private parseDict(): PyDict {
    this.expectOp('{');
    const dict: PyDict = {};
    while (!this.isOp('}')) {
      const keyToken = this.peek();
      const key = this.parseValue();
      if (typeof key !== 'string' && typeof key !== 'number') {
        throw new NotLiteralError('dictionary keys must be strings or numbers', keyToken.line);
      }
      this.expectOp(':');
      setKey(dict, String(key), this.parseValue(), keyToken.line);
      if (!this.isOp(',')) break;
      this.next();
    }
    this.expectOp('}');
    return dict;
  }

  private parseDictCall(): PyDict {
    this.next(); // dict
    this.expectOp('(');
    const dict: PyDict = {};
    if (!this.isOp(')') && this.peek().kind !== 'name') {
      const positional = this.expectDict(this.parseValue());
      for (const [k, v] of Object.entries(positional)) setKey(dict, k, v, lineOfKey(positional, k) ?? this.peek().line);
      if (this.isOp(',')) this.next();
    }
    while (!this.isOp(')')) {
      const key = this.next();
      if (key.kind !== 'name') throw this.notLiteral(key, 'expected a keyword argument');
      this.expectOp('=');
      setKey(dict, key.text, this.parseValue(), key.line);
      if (!this.isOp(',')) break;
      this.next();
    }
    this.expectOp(')');
    return dict;
  }

  private expectDict(value: PyValue): PyDict {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new NotLiteralError('dict() takes a dictionary or keyword arguments here', this.peek().line);
    }
    return value;
  }

  private parseSequence(open: string, close: string): PyValue[] {
    this.expectOp(open);
    const items: PyValue[] = [];
    while (!this.isOp(close)) {
      items.push(this.parseValue());
      if (!this.isOp(',')) break;
      this.next();
    }
    this.expectOp(close);
    return items;
  }

  /** `(x)` is x; `(x,)` and `(x, y)` are tuples, read as lists. */
  private parseParenthesized(): PyValue {
    this.expectOp('(');
    if (this.isOp(')')) {
      this.next();
      return [];
    }
    const first = this.parseValue();
    if (this.isOp(')')) {
      this.next();
      return first;
    }
    const items = [first];
    while (this.isOp(',')) {
      this.next();
      if (this.isOp(')')) break;
      items.push(this.parseValue());
    }
    this.expectOp(')');
    return items;
  }
}

/** Evaluates a single literal expression, e.g. `{"a": 1}`. */
export function parseLiteral(expression: string): PyValue {
  return new LiteralParser(tokenize(expression), 0).parseStatementValue();
}

export interface Assignment {
  /** Line of the assignment's name. */
  line: number;
  /** The value, or why it could not be read statically. */
  result: { ok: true; value: PyValue } | { ok: false; error: NotLiteralError };
}

export type ModuleStatement = { kind: 'assign'; name: string; assignment: Assignment } | { kind: 'starImport'; module: string; line: number };

/**
 * The statements of a module that matter for reading settings, in source
 * order: assignments to `names`, and `from MODULE import *` (settings packages
 * are built from those). `MODULE` keeps its leading dots when it is relative.
 */
export function scanModule(source: string, names: readonly string[]): ModuleStatement[] {
  const tokens = tokenize(source);
  const statements: ModuleStatement[] = [];
  for (let i = 0; i < tokens.length - 1; i++) {
    const atLineStart = i === 0 || tokens[i - 1].kind === 'newline';
    const t = tokens[i];
    if (!atLineStart || t.kind !== 'name') continue;
    if (t.text === 'from') {
      let module = '';
      let j = i + 1;
      while (tokens[j].kind === 'name' ? tokens[j].text !== 'import' : tokens[j].text === '.') module += tokens[j++].text;
      if (tokens[j]?.text === 'import' && tokens[j + 1]?.text === '*' && module !== '') statements.push({ kind: 'starImport', module, line: t.line });
      continue;
    }
    if (!names.includes(t.text)) continue;
    const eq = tokens[i + 1];
    if (eq.kind !== 'op' || eq.text !== '=') continue;
    let result: Assignment['result'];
    try {
      result = { ok: true, value: new LiteralParser(tokens, i + 2).parseStatementValue() };
    } catch (error) {
      if (!(error instanceof NotLiteralError)) throw error;
      result = { ok: false, error };
    }
    statements.push({ kind: 'assign', name: t.text, assignment: { line: t.line, result } });
  }
  return statements;
}

/** The last top-level assignment of `name` (Python keeps the last one), or null. */
export function findAssignment(source: string, name: string): Assignment | null {
  let found: Assignment | null = null;
  for (const statement of scanModule(source, [name])) if (statement.kind === 'assign') found = statement.assignment;
  return found;
}
