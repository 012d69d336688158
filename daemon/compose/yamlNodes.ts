/**
 * Reading a compose file's nodes the way compose reads its values: through
 * aliases (`*ports`) and merge keys (`<<: *base`), while keeping the nodes
 * themselves, since the port editor needs to know where in the text a value
 * is written (an alias's value is written at its anchor, perhaps shared).
 * Aliases can loop (`&a [*a]`, `&m {<<: *m}`): every walk here is bounded.
 */
import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { Document, Node, YAMLMap } from 'yaml';

/** How many aliases one lookup follows before giving up: far more than a compose file needs. */
const MAX_HOPS = 64;

/** The node `node` stands for: itself, or what its alias (chain) points at; null for a dangling or looping alias. */
export function resolved(doc: Document.Parsed, node: unknown): Node | null {
  let current: unknown = node;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    if (!isAlias(current)) return (current as Node | null | undefined) ?? null;
    current = current.resolve(doc);
  }
  return null;
}

/** A plain `<<` key (a quoted "<<" is an ordinary key), as the YAML 1.1 merge type and compose read it. */
export function isMergeKey(key: unknown): boolean {
  if (!isScalar(key) || (key.type !== undefined && key.type !== 'PLAIN')) return false;
  const value = key.value;
  return value === '<<' || (typeof value === 'symbol' && value.description === '<<');
}

/**
 * The node of `key` in `map`, as compose sees it: the map's own key first, then
 * the maps merged in with `<<` (earlier ones first, each with its own merges).
 * Each map is searched once, so merges that fan out or loop stay cheap.
 */
export function lookup(doc: Document.Parsed, map: YAMLMap, key: string, searched = new Set<YAMLMap>()): Node | null {
  if (searched.has(map)) return null;
  searched.add(map);
  const own = map.items.find((pair) => !isMergeKey(pair.key) && (isScalar(pair.key) ? pair.key.value === key : pair.key === key));
  if (own) return resolved(doc, own.value);
  for (const pair of map.items) {
    if (!isMergeKey(pair.key)) continue;
    const merged = resolved(doc, pair.value);
    const sources = isSeq(merged) ? merged.items.map((item) => resolved(doc, item)) : [merged];
    for (const source of sources) {
      if (!isMap(source)) continue;
      const found = lookup(doc, source, key, searched);
      if (found) return found;
    }
  }
  return null;
}
