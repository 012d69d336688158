/**
 * The other projects that use a project's database: those a client names,
 * those its multisite.json lists under `sharedDatabase` (relative to it), and
 * the open projects whose settings resolve to the same database.
 */
import { realpath, stat } from 'node:fs/promises';
import * as path from 'node:path';

export interface OpenProject {
  root: string;
  /** Which database its settings point at (databaseIdentity.ts), or null when unknown. */
  databaseKey(): Promise<string | null>;
}

async function folder(dir: string): Promise<string | null> {
  try {
    const real = await realpath(dir);
    return (await stat(real)).isDirectory() ? real : null;
  } catch {
    return null;
  }
}

export async function sharedProjects(
  self: OpenProject,
  declared: readonly string[],
  listed: readonly string[],
  open: readonly OpenProject[],
): Promise<string[]> {
  const named = [...declared.map((d) => path.resolve(d)), ...listed.map((d) => path.resolve(self.root, d))];
  // The probe runs the project's Python: skip it when no other project is open to compare with
  // (the common case, and a start waits for this).
  const others = open.filter((p) => p.root !== self.root);
  const own = others.length > 0 ? await self.databaseKey() : null;
  const detected = own === null ? [] : await Promise.all(others.map(async (p) => ((await p.databaseKey()) === own ? p.root : null)));
  const roots = await Promise.all([...named, ...detected.filter((r): r is string => r !== null)].map(folder));
  return [...new Set(roots.filter((r): r is string => r !== null && r !== self.root))].sort();
}
