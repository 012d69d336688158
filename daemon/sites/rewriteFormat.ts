/**
 * Applies DJANGO_MULTISITE_PLUS_REWRITE_DOMAIN_FORMAT to a slug with Python
 * `str.format(slug)` semantics for the forms settings use: `{}` and `{0}`
 * fields and the `{{` / `}}` escapes. Whatever Python would reject with one
 * argument (a second `{}`, `{1}`, named fields, mixing `{}` with `{0}`) is
 * rejected with a reason; conversions and format specs are not supported.
 */
export const DEFAULT_REWRITE_FORMAT = '{}.divio.me';

export function applyRewriteFormat(format: string, slug: string): string {
  const fail = (why: string): never => {
    throw new Error(`the domain format ${JSON.stringify(format)} ${why}`);
  };
  let out = '';
  let autoFields = 0;
  let manualFields = 0;
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if ((c === '{' || c === '}') && format[i + 1] === c) {
      out += c;
      i++;
    } else if (c === '{') {
      const close = format.indexOf('}', i);
      if (close === -1) fail('has a "{" that is never closed');
      const field = format.slice(i + 1, close);
      if (field === '') autoFields++;
      else if (field === '0') manualFields++;
      else fail(`has the field {${field}}, which Python cannot fill from the slug alone`);
      if (autoFields > 1) fail('has more than one {}, and Python fills only the first from the slug');
      if (autoFields > 0 && manualFields > 0) fail('mixes {} and {0}, which Python refuses');
      out += slug;
      i = close;
    } else if (c === '}') {
      fail('has a single "}" (Python needs "}}")');
    } else {
      out += c;
    }
  }
  return out;
}
