/**
 * What the project's Sites table depends on, so that it is read again (which
 * runs project code) only when one of them changes: the SQLite database file
 * and the apps' migrations folders. The database path is found without running
 * the settings: `db.sqlite3` at the root, and any SQLite-looking file name
 * written as a string in the settings files (`BASE_DIR / "db.sqlite3"`).
 */
import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import { readConfigText } from '../base/configFile';

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

/** How deep below the root apps are looked for (`app/`, `project/app/`, `project/apps/app/`). */
const MAX_DEPTH = 4;

/** Every `migrations` folder of an app within MAX_DEPTH levels of the root. */
async function migrationsFolders(dir: string, depth = 1): Promise<string[]> {
  const found: string[] = [];
  for (const sub of await subfolders(dir)) {
    if (path.basename(sub) === 'migrations') found.push(sub);
    else if (depth < MAX_DEPTH) found.push(...(await migrationsFolders(sub, depth + 1)));
  }
  return found;
}

export async function tableSources(root: string, settingsFiles: readonly string[]): Promise<TableSources> {
  const files = new Set([path.join(root, 'db.sqlite3')]);
  for (const file of settingsFiles) {
    // Within the bounds of configFile.ts: a file refused there was reported by its reader.
    const text = (await readConfigText(file).catch(() => null)) ?? '';
    for (const [, name] of text.matchAll(SQLITE_NAME)) files.add(path.resolve(root, name));
  }
  return { files: [...files], folders: await migrationsFolders(root) };
}
