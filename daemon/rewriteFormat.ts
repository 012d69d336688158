/**
 * Applies DJANGO_MULTISITE_PLUS_REWRITE_DOMAIN_FORMAT to a slug with Python
 * `str.format` semantics for the forms settings use: `{}`, `{0}`, and the
 * `{{` / `}}` escapes. Anything else (named fields, format specs) is rejected
 * with a reason rather than guessed at.
 */
export const DEFAULT_REWRITE_FORMAT = '{}.divio.me';

export function applyRewriteFormat(format: string, slug: string): string {
  let out = '';
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c === '{' && format[i + 1] === '{') {
      out += '{';
      i++;
    } else if (c === '}' && format[i + 1] === '}') {
      out += '}';
      i++;
    } else if (c === '{') {
      const close = format.indexOf('}', i);
      const field = close === -1 ? null : format.slice(i + 1, close);
      if (field !== '' && field !== '0') {
        throw new Error(`the domain format ${JSON.stringify(format)} has a field Python would not fill with the slug alone`);
      }
      out += slug;
      i = close;
    } else if (c === '}') {
      throw new Error(`the domain format ${JSON.stringify(format)} has a single "}" (Python needs "}}")`);
    } else {
      out += c;
    }
  }
  return out;
}
