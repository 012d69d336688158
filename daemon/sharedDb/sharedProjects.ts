/**
 * The other projects that use a project's database: those a client names,
 * those its multisite.json lists under `sharedDatabase` (relative to it), the
 * open projects whose multisite.json lists it, and the open projects whose
 * settings resolve to the same database.
 */
import { realpath, stat } from 'node:fs/promises';
import * as path from 'node:path';

export interface OpenProject {
  root: string;
  /** Which database its settings point at (databaseIdentity.ts), or null when unknown. */
  databaseKey(): Promise<string | null>;
  /** Its multisite.json's `sharedDatabase` (relative to it): sharing is mutual, so these share its database too. */
  declaredSharing?(): readonly string[];
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
  // An open project whose multisite.json lists this one shares its database, though this one's does not say so.
  const declaring = await Promise.all(
    others.map(async (p) =>
      (await Promise.all((p.declaredSharing?.() ?? []).map((d) => folder(path.resolve(p.root, d))))).includes(self.root) ? p.root : null,
    ),
  );
  const roots = await Promise.all([...named, ...[...detected, ...declaring].filter((r): r is string => r !== null)].map(folder));
  return [...new Set(roots.filter((r): r is string => r !== null && r !== self.root))].sort();
}
