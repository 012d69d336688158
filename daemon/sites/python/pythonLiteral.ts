/**
 * Reads Python literals out of source text without running it: project code is
 * never executed just to list its sites (untrusted workspaces included).
 *
 * Understands what settings files use for data: dict/list/tuple displays,
 * `dict(key=value)` calls, strings in both quote styles (triple, raw, adjacent
 * concatenation), numbers, True/False/None, comments, line continuations and
 * trailing commas. Anything else is reported as not statically readable,
 * except what no Python could read either: a token no expression starts with
 * where a value must be (`"a": ,`, `X =` alone), or two values with nothing
 * between them (`1 "b"`). That is invalid syntax, and the whole file is
 * unreadable, as it is to Django.
 */

import { NotLiteralError, PythonSyntaxError, tokenize } from './pythonTokens';
import type { Token } from './pythonTokens';

export type PyValue = string | number | boolean | null | PyValue[] | PyDict;
export interface PyDict {
  [key: string]: PyValue;
}

const keyLines = new WeakMap<PyDict, Map<string, number>>();

/** The operators a Python expression can start with (unary, unpacking, Ellipsis and the brackets). */
const VALUE_START = new Set(['(', '[', '{', '-', '+', '~', '*', '**', '...']);
/** Keywords no Python expression starts with (`lambda`, `not`, `await`, `yield` can). */
const NOT_A_VALUE = new Set(
  'and as assert break class continue def del elif else except finally for from global if import in is nonlocal or pass raise return try while with'.split(' '),
);

const shown = (t: Token): string => (t.kind === 'newline' || t.kind === 'end' ? 'the end of the line' : `"${t.text}"`);
/** Whether `t`, found right after a whole value, makes the source invalid: a value cannot follow a value. */
const isValue = (t: Token): boolean => t.kind === 'string' || t.kind === 'number';

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

function missingComma(t: Token): PythonSyntaxError {
  const what = t.kind === 'string' ? 'a string' : `"${t.text}"`;
  return new PythonSyntaxError(`invalid syntax: ${what} follows a value without a comma between them`, t.line);
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

  /** The next token must be the operator `text`, right after a whole value. */
  private expectOp(text: string): void {
    const t = this.next();
    if (t.kind === 'op' && t.text === text) return;
    throw isValue(t) ? missingComma(t) : this.notLiteral(t, `expected "${text}"`);
  }

  private notLiteral(t: Token, why: string): NotLiteralError {
    return new NotLiteralError(`${why}, found ${shown(t)}`, t.line);
  }

  /** Parses one whole expression statement up to the end of its logical line. */
  parseStatementValue(): PyValue {
    const value = this.parseValue();
    const t = this.peek();
    if (t.kind !== 'newline' && t.kind !== 'end') {
      throw isValue(t) ? missingComma(t) : this.notLiteral(t, 'the value is computed (not a plain literal)');
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
      if (NOT_A_VALUE.has(t.text)) throw new PythonSyntaxError(`invalid syntax: "${t.text}" where a value should be`, t.line);
      throw new NotLiteralError(`"${t.text}" is computed at import time`, t.line);
    }
    if (t.kind === 'newline' || t.kind === 'end') throw new PythonSyntaxError('invalid syntax: the line ends where a value should be', t.line);
    if (t.kind !== 'op' || !VALUE_START.has(t.text)) throw new PythonSyntaxError(`invalid syntax: "${t.text}" where a value should be`, t.line);
    throw this.notLiteral(t, 'expected a literal value');
  }

  private parseStrings(): string {
    let value = '';
    while (this.peek().kind === 'string') {
      const t = this.next();
      if (t.value === undefined)
        throw new NotLiteralError(`${t.namedEscape ?? 'a named escape'} names its character from Unicode's table, which only Python looks up`, t.line);
      value += t.value;
    }
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
      // Invalid syntax makes the whole file unreadable, not just this setting.
      if (!(error instanceof NotLiteralError) || error instanceof PythonSyntaxError) throw error;
      result = { ok: false, error };
    }
    statements.push({ kind: 'assign', name: t.text, assignment: { line: t.line, result } });
  }
  return statements;
}
