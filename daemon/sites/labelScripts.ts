/**
 * Look-alike domains: a label that mixes scripts (a Cyrillic "а" among Latin
 * letters) reads as one name and resolves as another, which is how spoofed
 * domains are made, so browsers show such labels as punycode. A config that
 * writes one is almost surely wrong. The rule is Unicode's "highly
 * restrictive" level (UTS #39 §5.2): one script per label, or Latin with the
 * scripts written together with it (Han with Hiragana and Katakana, with
 * Bopomofo, or with Hangul). Digits, marks and the hyphen belong to every script.
 */

/** Scripts domain names are written in; a letter of any other counts as its own. */
const SCRIPTS = [
  'Latin',
  'Greek',
  'Cyrillic',
  'Armenian',
  'Georgian',
  'Hebrew',
  'Arabic',
  'Syriac',
  'Thaana',
  'Devanagari',
  'Bengali',
  'Gurmukhi',
  'Gujarati',
  'Oriya',
  'Tamil',
  'Telugu',
  'Kannada',
  'Malayalam',
  'Sinhala',
  'Thai',
  'Lao',
  'Tibetan',
  'Myanmar',
  'Khmer',
  'Ethiopic',
  'Cherokee',
  'Mongolian',
  'Han',
  'Hiragana',
  'Katakana',
  'Bopomofo',
  'Hangul',
].map((name) => ({ name, test: new RegExp(`^\\p{Script=${name}}$`, 'u') }));

/** Characters every script shares (digits, the hyphen, punctuation marks, combining marks). */
const SHARED = /^[\p{Script=Common}\p{Script=Inherited}]$/u;

/** The script combinations one label may have (UTS #39 "highly restrictive"). */
const ALLOWED = [
  ['Latin', 'Han', 'Hiragana', 'Katakana'],
  ['Latin', 'Han', 'Bopomofo'],
  ['Latin', 'Han', 'Hangul'],
].map((set) => new Set(set));

/** The scripts of the letters of `label`, in order of first appearance. */
export function labelScripts(label: string): string[] {
  const found: string[] = [];
  for (const c of label) {
    if (SHARED.test(c)) continue;
    const name = SCRIPTS.find((s) => s.test.test(c))?.name ?? `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
    if (!found.includes(name)) found.push(name);
  }
  return found;
}

/** The scripts `label` mixes when it mixes them the way look-alike names do; null when it is fine. */
export function mixedScripts(label: string): string[] | null {
  const scripts = labelScripts(label);
  if (scripts.length <= 1) return null;
  return ALLOWED.some((set) => scripts.every((s) => set.has(s))) ? null : scripts;
}
