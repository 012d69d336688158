/**
 * What an edit of a compose file changes for compose: the file's values as
 * compose reads them (aliases and merge keys expanded) before and after.
 * Splicing one scalar keeps every other byte, but a scalar under an anchor is
 * also the value of every alias of it: through `*ports` or `<<: *base`, the
 * web service's port can be another service's too. Comparing the expanded
 * values finds that, however the sharing is written.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Document } from 'yaml';
import { parseComposeYaml } from './composeYaml';

/**
 * The file's values as compose reads them (from its text, or its document parsed
 * with merge keys); throws when they cannot be expanded (an alias bomb, a loop)
 * or the text breaks the bounds of composeYaml.ts.
 */
export function composeValues(file: string | Document.Parsed): unknown {
  const doc = typeof file === 'string' ? parseComposeYaml(file, 'The compose file') : file;
  return doc.toJS({ maxAliasCount: 1000 }) as unknown;
}

type Path = (string | number)[];

/** The first place where `a` and `b` differ, or null when they are equal. */
function firstDifference(a: unknown, b: unknown, at: Path = []): Path | null {
  if (isDeepStrictEqual(a, b)) return null;
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    for (let i = 0; i < a.length; i++) {
      const found = firstDifference(a[i], b[i], [...at, i]);
      if (found) return found;
    }
  }
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObject(a) && isObject(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const found = firstDifference(a[key], b[key], [...at, key]);
      if (found) return found;
    }
  }
  return at;
}

/** A path as compose's docs write it: `services.worker.ports[0]`. */
function shownPath(path: Path): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`)).join('');
}

/**
 * Null when `after` differs from `before` only in `services.<service>.ports[index]`
 * (and in top-level `x-` extension fields, which compose ignores: an anchor
 * kept there is read only through its aliases); else where else it differs.
 */
export function otherChange(before: unknown, after: unknown, service: string, index: number): string | null {
  const withoutExtensions = (values: unknown): Record<string, unknown> =>
    typeof values === 'object' && values !== null ? Object.fromEntries(Object.entries(values).filter(([key]) => !key.startsWith('x-'))) : {};
  // Through JSON: aliases come out of toJS as one shared object, and a change to one place must not show at another.
  const expected = JSON.parse(JSON.stringify(withoutExtensions(before))) as Record<string, unknown>;
  const got = JSON.parse(JSON.stringify(withoutExtensions(after))) as Record<string, unknown>;
  const services = (values: Record<string, unknown>): Record<string, { ports?: unknown[] }> | undefined =>
    values.services as Record<string, { ports?: unknown[] }> | undefined;
  const expectedPorts = services(expected)?.[service]?.ports;
  const gotPorts = services(got)?.[service]?.ports;
  if (Array.isArray(expectedPorts) && Array.isArray(gotPorts) && index < expectedPorts.length) expectedPorts[index] = gotPorts[index];
  const path = firstDifference(expected, got);
  return path === null ? null : shownPath(path);
}
