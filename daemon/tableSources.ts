/**
 * What the project's Sites table depends on, so that it is read again (which
 * runs project code) only when one of them changes: the SQLite database file
 * and the apps' migrations folders. The database path is found without running
 * the settings: `db.sqlite3` at the root, and any SQLite-looking file name
 * written as a string in the settings files (`BASE_DIR / "db.sqlite3"`).
 */
import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';

export interface TableSources {
  /** Database files (they may not exist yet). */
  files: string[];
  /** Migrations folders: a `.py` file added, changed or removed there counts. */
  folders: string[];
}

const SQLITE_NAME = /["']([^"'\n]+\.(?:sqlite3?|db))["']/g;
const SKIP = new Set(['node_modules', 'venv', 'env', '__pycache__', 'static', 'media', 'templates']);

async function subfolders(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.') && !SKIP.has(e.name)).map((e) => path.join(dir, e.name));
  } catch {
    return [];
  }
}

/** `app/migrations` one or two levels below the root (apps, and apps inside the project package). */
async function migrationsFolders(root: string): Promise<string[]> {
  const found: string[] = [];
  for (const first of await subfolders(root)) {
    for (const second of await subfolders(first)) {
      if (path.basename(second) === 'migrations') found.push(second);
      else for (const third of await subfolders(second)) if (path.basename(third) === 'migrations') found.push(third);
    }
  }
  return found;
}

export async function tableSources(root: string, settingsFiles: readonly string[]): Promise<TableSources> {
  const files = new Set([path.join(root, 'db.sqlite3')]);
  for (const file of settingsFiles) {
    const text = await readFile(file, 'utf8').catch(() => '');
    for (const [, name] of text.matchAll(SQLITE_NAME)) files.add(path.resolve(root, name));
  }
  return { files: [...files], folders: await migrationsFolders(root) };
}
