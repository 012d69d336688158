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
  /** Which database its settings point at (sites/databaseIdentity.ts), or null when unknown. */
  databaseKey(): Promise<string | null>;
  /**
   * The real folders its multisite.json's `sharedDatabase` names (those that exist): sharing is mutual,
   * so these share its database too.
   */
  sharedFolders?(): Promise<readonly string[]>;
}

/** Another project on the database, and whether the project's own multisite.json lists it. */
export interface FoundProject {
  root: string;
  declared: boolean;
}

/** The real path of the folder `dir`, or null when it is none. */
export async function realFolder(dir: string): Promise<string | null> {
  try {
    const real = await realpath(dir);
    return (await stat(real)).isDirectory() ? real : null;
  } catch {
    return null;
  }
}

const found = (roots: readonly (string | null)[]): string[] => roots.filter((r): r is string => r !== null);

export async function sharedProjects(
  self: OpenProject,
  named: readonly string[],
  listed: readonly string[],
  open: readonly OpenProject[],
): Promise<FoundProject[]> {
  const own = new Set(found(await Promise.all(listed.map((d) => realFolder(path.resolve(self.root, d))))));
  // The probe runs the project's Python: skip it when no other project is open to compare with
  // (the common case, and a start waits for this).
  const others = open.filter((p) => p.root !== self.root);
  const key = others.length > 0 ? await self.databaseKey() : null;
  const detected = key === null ? [] : await Promise.all(others.map(async (p) => ((await p.databaseKey()) === key ? p.root : null)));
  // An open project whose multisite.json lists this one shares its database, though this one's does not say so.
  const declaring = await Promise.all(others.map(async (p) => ((await p.sharedFolders?.())?.includes(self.root) ? p.root : null)));
  const roots = await Promise.all([...named.map((d) => path.resolve(d)), ...found([...detected, ...declaring])].map(realFolder));
  const all = new Set([...own, ...found(roots)]);
  all.delete(self.root);
  return [...all].sort().map((root) => ({ root, declared: own.has(root) }));
}
