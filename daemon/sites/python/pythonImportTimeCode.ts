/**
 * Of Python code whose comments and strings are blanked (pythonCodeOnly.ts),
 * what runs when the module is imported, the rest blanked: logical lines are
 * scoped by indentation, and what is indented under a `def` runs when
 * called, as does a lambda's body; class bodies, decorators, a `def` line's
 * defaults and annotations, and module-level blocks (`if`, `for`, `try`,
 * ...) run on import.
 */
import { BlankableText } from './blankableText';
import { closesBracket, keywordAt, opensBracket, scanTo } from './pythonCodeChars';
import { logicalLines } from './pythonLogicalLines';

const isColon = (code: string, i: number): boolean => code[i] === ':' && code[i + 1] !== '=';
const DEF = /^(?:async\s+)?def\s+[^\s(:]*/;

/** What ends a lambda's body at its own depth: a comma, a semicolon, or a comprehension's `for`. */
const endsLambda = (code: string, i: number): boolean => code[i] === ',' || code[i] === ';' || keywordAt(code, i, 'for') || keywordAt(code, i, 'async');

/**
 * Blanks the bodies of the lambdas in `live[from, to)`: they run when called; their parameters'
 * defaults stay. One pass, so no source (`lambda lambda lambda ...`) takes quadratic time: a
 * lambda waits for the colon at its own depth, its body then runs to a comma, `for` or closing
 * bracket at that depth (a lambda inside a body is blanked with it).
 */
function blankLambdaBodies(code: string, live: BlankableText, from: number, to: number): void {
  let depth = 0;
  let lambda: { depth: number; body: number | null } | null = null;
  for (let i = from; i < to; i++) {
    const c = code[i];
    if (lambda?.body != null && lambda.depth === depth && (endsLambda(code, i) || closesBracket(c))) {
      live.blank(lambda.body, i);
      lambda = null;
    }
    if (opensBracket(c)) depth++;
    else if (closesBracket(c)) {
      depth = Math.max(0, depth - 1);
      if (lambda && depth < lambda.depth) lambda = null; // a lambda without a body: source Python would refuse
    } else if (!lambda && keywordAt(code, i, 'lambda')) lambda = { depth, body: null };
    else if (lambda?.body === null && lambda.depth === depth && isColon(code, i)) lambda.body = i + 1;
  }
  if (lambda?.body != null) live.blank(lambda.body, to);
}

/**
 * `code` with everything that does not run on import blanked: `def` bodies (indented or after the
 * header's colon), lambda bodies, and a `def` line's own `def name` (so `def get_current_site(`
 * is not a call). What stays runs when the module is imported.
 */
export function importTimeCode(code: string): string {
  const live = new BlankableText(code);
  /** Indentation of the `def`s whose indented bodies enclose the current line. */
  const defs: number[] = [];
  for (const line of logicalLines(code)) {
    while (defs.length > 0 && line.indent <= defs[defs.length - 1]) defs.pop();
    const header = code[line.start] === 'd' || code[line.start] === 'a' ? DEF.exec(code.slice(line.start, line.end)) : null;
    const colon = header ? scanTo(code, line.start + header[0].length, line.end, (i) => isColon(code, i)) : line.end;
    const opensBody = header !== null && code.slice(colon + 1, line.end).trim() === '';
    if (defs.length > 0) live.blank(line.start, line.end);
    else {
      if (header) live.blank(line.start, line.start + header[0].length);
      live.blank(Math.min(colon + 1, line.end), line.end);
      blankLambdaBodies(code, live, line.start, Math.min(colon + 1, line.end));
    }
    if (opensBody) defs.push(line.indent);
  }
  return live.toString();
}
