/**
 * How deep a JSON text (comments allowed, as in multisite.json) nests, found
 * by scanning its tokens before it is parsed: jsonc-parser's parseTree recurses
 * once per level, and a multisite.json nested 100,000 levels deep overflowed
 * the daemon's stack. The scanner reads strings and comments as tokens, so a
 * bracket inside them is not counted.
 */
import { createScanner } from 'jsonc-parser';
import type { SyntaxKind } from 'jsonc-parser';
import { MAX_NESTING } from '../base/configFile';

// SyntaxKind is a const enum, which isolated modules cannot read: its values, checked against its typings by the types.
const OPEN_BRACE: SyntaxKind.OpenBraceToken = 1;
const CLOSE_BRACE: SyntaxKind.CloseBraceToken = 2;
const OPEN_BRACKET: SyntaxKind.OpenBracketToken = 3;
const CLOSE_BRACKET: SyntaxKind.CloseBracketToken = 4;
const EOF: SyntaxKind.EOF = 17;

/** The offset of the first bracket that opens a level deeper than MAX_NESTING, or null when `text` stays within it. */
export function jsonTooDeepAt(text: string): number | null {
  const scanner = createScanner(text, true);
  let depth = 0;
  for (let token = scanner.scan(); token !== EOF; token = scanner.scan()) {
    if (token === OPEN_BRACE || token === OPEN_BRACKET) {
      if (++depth > MAX_NESTING) return scanner.getTokenOffset();
    } else if (token === CLOSE_BRACE || token === CLOSE_BRACKET) {
      depth = Math.max(0, depth - 1);
    }
  }
  return null;
}
