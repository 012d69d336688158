/**
 * A project's migrations as files: for each app (the folder holding a
 * `migrations` package), each migration's name and a hash of its content.
 * Read from disk only (nothing of the project runs), so it works in any
 * workspace and for projects that are not open.
 */
import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';

/** app label -> migration name -> sha256 of the file. */
export type MigrationSet = Map<string, Map<string, string>>;

/** Folders that hold no app of the project (virtualenvs, caches, dependencies). */
const SKIPPED = new Set(['.git', '.venv', 'venv', 'env', 'node_modules', '__pycache__', 'site-packages', 'dist-packages', 'static', 'media']);
const MIGRATION = /^\d{4}_\w+\.py$/;
/** Apps sit near the root; deeper folders are libraries vendored into the project, not its schema. */
const MAX_DEPTH = 4;

async function dirents(dir: string): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

async function migrationsOf(dir: string): Promise<Map<string, string>> {
  const files = (await dirents(dir)).filter((e) => e.isFile() && MIGRATION.test(e.name)).map((e) => e.name);
  const hashed = await Promise.all(
    files.map(
      async (file) =>
        [
          file.slice(0, -3),
          createHash('sha256')
            .update(await readFile(path.join(dir, file)))
            .digest('hex'),
        ] as const,
    ),
  );
  return new Map(hashed.sort(([a], [b]) => a.localeCompare(b)));
}

/** Every app's migrations under `root`; an app's label is its folder's name, as Django's default AppConfig.label. */
export async function readMigrations(root: string): Promise<MigrationSet> {
  const set: MigrationSet = new Map();
  const walk = async (dir: string, depth: number): Promise<void> => {
    const entries = await dirents(dir);
    await Promise.all(
      entries.map(async (entry) => {
        if (!entry.isDirectory() || SKIPPED.has(entry.name) || entry.name.startsWith('.')) return;
        const sub = path.join(dir, entry.name);
        if (entry.name === 'migrations') {
          const found = await migrationsOf(sub);
          if (found.size > 0) set.set(path.basename(dir), found);
        } else if (depth < MAX_DEPTH) {
          await walk(sub, depth + 1);
        }
      }),
    );
  };
  await walk(root, 0);
  return set;
}
