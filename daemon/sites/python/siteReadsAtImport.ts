/**
 * Where a Python module reads the current site while it is imported, found
 * from its text alone (nothing runs): `Site.objects.get_current()`,
 * `get_current_site(...)`, `settings.SITE_ID` (or `getattr(settings,
 * "SITE_ID")`) at module level, in a class body, in a `def` line's defaults
 * and annotations, in a decorator. One server that serves every site with
 * SITE_ID set per request keeps such a value for every site; a read in a
 * function body runs per request, and is fine.
 *
 * A small heuristic, not a parser, and lenient: source Python would refuse
 * is scanned as far as it goes, never thrown on. Comments and the contents
 * of string literals are blanked first (pythonCodeOnly.ts), so nothing in
 * them matches; then what runs only when called (pythonImportTimeCode.ts).
 * What is left is matched here. Aliases are not followed (`from django.conf
 * import settings as conf` then `conf.SITE_ID` is found, as any
 * `X.SITE_ID`; a bare `SITE_ID` imported by name is not).
 */
import { scanTo } from './pythonCodeChars';
import { codeOnly } from './pythonCodeOnly';
import { importTimeCode } from './pythonImportTimeCode';

export interface SiteRead {
  /** 1-based line of the read. */
  line: number;
  /** The expression as written (a long or multi-line call shortened to `name(...)`). */
  expression: string;
}

export interface SiteReadScan {
  /** The reads at import time, at most one per line, in line order. */
  reads: SiteRead[];
  /** Whether the module assigns `urlpatterns` (a URLconf, imported again per site: its reads are no capture). */
  urlpatterns: boolean;
}

/** What reads the site: each pattern's match ends at its call's `(`, or is the whole read. */
const PATTERNS: { pattern: RegExp; call: boolean }[] = [
  // `Site.objects.get_current(` (any manager named so): the Sites framework's current site.
  { pattern: /(?<![\w.])(?:[A-Za-z_]\w*\.)*objects\.get_current\s*\(/g, call: true },
  // django.contrib.sites.shortcuts.get_current_site, imported by name or through its module.
  { pattern: /(?<![\w.])(?:[A-Za-z_]\w*\.)*get_current_site\s*\(/g, call: true },
  // `settings.SITE_ID` (any `X.SITE_ID`), but not an assignment to it.
  { pattern: /(?<![\w.])(?:[A-Za-z_]\w*\.)+SITE_ID(?!\w)(?!\s*=(?!=))/g, call: false },
];
/** `getattr(settings, ` before a string: a read when the string (blanked in the code) is "SITE_ID". */
const GETATTR = /(?<![\w.])getattr\s*\(\s*(?:[A-Za-z_]\w*\.)*[A-Za-z_]\w*\s*,\s*/g;
const SITE_ID_STRING = /^[rRuU]?(["'])SITE_ID\1/;
/** `urlpatterns` assigned (annotated, extended) in what runs on import: not a local of some function. */
const URLPATTERNS = /^[ \t]*urlpatterns\s*(?::[^=\n]*)?\+?=(?!=)/m;
/** Calls longer than this are shown as `name(...)`. */
const SHOWN_CALL = 60;

/** The call whose `(` is at `paren` as written, or `callee(...)` when it is long or spans lines. */
function shownCall(text: string, code: string, start: number, paren: number): string {
  const bound = Math.min(code.length, start + SHOWN_CALL);
  const close = scanTo(code, paren + 1, bound, () => false);
  const whole = text.slice(start, close + 1);
  if (close < bound && code[close] === ')' && !whole.includes('\n')) return whole;
  return `${text.slice(start, paren).trimEnd()}(...)`;
}

/** Where `source` reads the site while it is imported. */
export function siteReadsAtImport(source: string): SiteReadScan {
  // Universal newlines, as Python reads source, after its byte order mark (lines count the same).
  const text = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const code = codeOnly(text);
  const live = importTimeCode(code);
  const found: { at: number; expression: string }[] = [];
  for (const { pattern, call } of PATTERNS) {
    for (const match of live.matchAll(pattern)) {
      const end = match.index + match[0].length;
      found.push({ at: match.index, expression: call ? shownCall(text, code, match.index, end - 1) : match[0] });
    }
  }
  for (const match of live.matchAll(GETATTR)) {
    const argument = match.index + match[0].length;
    if (SITE_ID_STRING.test(text.slice(argument, argument + 12)))
      found.push({ at: match.index, expression: shownCall(text, code, match.index, code.indexOf('(', match.index)) });
  }
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const lineOf = (offset: number): number => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (lineStarts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  };
  const byLine = new Map<number, SiteRead>();
  for (const { at, expression } of found.sort((a, b) => a.at - b.at)) {
    const line = lineOf(at);
    if (!byLine.has(line)) byLine.set(line, { line, expression });
  }
  return { reads: [...byLine.values()], urlpatterns: URLPATTERNS.test(live) };
}
