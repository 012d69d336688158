/**
 * The one way a compose file's text becomes a YAML document, within bounds.
 * The `yaml` package composes a document recursively (100,000 nested levels
 * end in a stack overflow, and 1 MB of `- - - …` on one line exhausted the
 * daemon's memory while it built that error) and checks a mapping's keys for
 * duplicates pairwise (a 4 MB environment took minutes, 128 KB of one mapping
 * a third of a second). So the text may hold at most COMPOSE_MAX_BYTES (a
 * large real compose file holds 30 KB), and how deep it nests is measured
 * before any document is composed from it: flow collections on yaml's lexer,
 * which stops where the limit is crossed, then everything on its concrete
 * syntax tree, which its parser builds with a stack of its own. What breaks a
 * bound is refused in one sentence naming the file and the limit
 * (ConfigFileRefused, a config error).
 */
import { CST, Lexer, Parser, parseDocument } from 'yaml';
import type { Document, LineCounter } from 'yaml';
import { ConfigFileRefused, MAX_NESTING, tooDeep, tooLarge } from '../base/configFile';

export const COMPOSE_MAX_BYTES = 128 << 10;
/** How the size limit's sentence names what it bounds. */
export const COMPOSE_FILE = 'a compose file';

/**
 * The line of the first flow collection (`[`, `{`) nested deeper than MAX_NESTING, or null: from
 * yaml's lexer, which tells flow indicators from brackets inside scalars, is several times faster
 * than its parser on deep flow collections, and lets this stop where the limit is crossed.
 */
function flowTooDeepAt(text: string): number | null {
  let depth = 0;
  let line = 1;
  for (const token of new Lexer().lex(text)) {
    if (token === '[' || token === '{') {
      if (++depth > MAX_NESTING) return line;
    } else if (token === ']' || token === '}') depth = Math.max(0, depth - 1);
    else for (let at = token.indexOf('\n'); at !== -1; at = token.indexOf('\n', at + 1)) line++;
  }
  return null;
}

/** The offset of the first collection nested deeper than MAX_NESTING, block or flow, or null. No recursion: an explicit stack. */
function tooDeepAt(text: string): number | null {
  const pending: { token: CST.Token; depth: number }[] = [];
  for (const token of new Parser().parse(text)) pending.push({ token, depth: 0 });
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { token, depth } = next;
    if (token.type === 'document' && token.value) pending.push({ token: token.value, depth });
    if (!CST.isCollection(token)) continue;
    if (depth >= MAX_NESTING) return token.offset;
    for (const item of token.items) {
      if (item.key) pending.push({ token: item.key, depth: depth + 1 });
      if (item.value) pending.push({ token: item.value, depth: depth + 1 });
    }
  }
  return null;
}

/** The 1-based line of `offset` in `text`. */
const lineAt = (text: string, offset: number): number => text.slice(0, offset).split('\n').length;

/**
 * `text` (of `file`, or of the compose file a sentence names so) parsed as compose reads it: with merge
 * keys, and line numbers when `lineCounter` is given. ConfigFileRefused when it is too large or nests too deep.
 */
export function parseComposeYaml(text: string, file: string, lineCounter?: LineCounter): Document.Parsed {
  if (Buffer.byteLength(text) > COMPOSE_MAX_BYTES) throw new ConfigFileRefused(file, tooLarge(COMPOSE_MAX_BYTES, COMPOSE_FILE));
  const deepFlow = flowTooDeepAt(text);
  const deep = deepFlow === null ? tooDeepAt(text) : null;
  const line = deepFlow ?? (deep === null ? null : lineAt(text, deep));
  if (line !== null) throw new ConfigFileRefused(file, tooDeep(line), line);
  return parseDocument(text, { lineCounter, merge: true });
}
