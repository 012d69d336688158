/**
 * Reads one plain value of a TOML file (a string or a boolean under a table,
 * `[virtualenvs] in-project = true`, or dotted, `virtualenvs.in-project = true`):
 * all interpreter discovery needs of pyproject.toml, poetry.toml and Poetry's
 * config.toml. Anything else (arrays, inline tables, multi-line strings) is
 * not a value here, and the caller falls back to the tool's default.
 */

/** The unquoted value of a TOML string or boolean, else undefined. */
function plainValue(raw: string): string | boolean | undefined {
  const text = raw.trim();
  if (text === 'true') return true;
  if (text === 'false') return false;
  const basic = /^"((?:[^"\\]|\\.)*)"\s*(?:#.*)?$/.exec(text);
  if (basic) return basic[1].replace(/\\(["\\])/g, '$1');
  const literal = /^'([^']*)'\s*(?:#.*)?$/.exec(text);
  if (literal) return literal[1];
  return undefined;
}

/** Whether the TOML file has the table `[table]` (or a key under it). */
export function hasTable(toml: string, table: string): boolean {
  return toml.split(/\r?\n/).some((line) => {
    const header = /^\s*\[\s*([^\]]+?)\s*\]/.exec(line)?.[1];
    return header === table || header?.startsWith(`${table}.`) === true;
  });
}

/** `key`'s value under `[table]` (or as `table.key` at the top; `table` '' for the top), undefined when absent or not plain. */
export function tomlValue(toml: string, table: string, key: string): string | boolean | undefined {
  const wanted = table ? `${table}.${key}` : key;
  let current = '';
  for (const line of toml.split(/\r?\n/)) {
    const header = /^\s*\[\s*([^\]]+?)\s*\]\s*(?:#.*)?$/.exec(line);
    if (header) {
      current = header[1];
      continue;
    }
    const pair = /^\s*("?)([A-Za-z0-9_.-]+)\1\s*=(.*)$/.exec(line);
    if (!pair) continue;
    const name = current ? `${current}.${pair[2]}` : pair[2];
    if (name === wanted) return plainValue(pair[3]);
  }
  return undefined;
}
