/**
 * The project a CLI command acts on, found as the extension finds projects in
 * a workspace: the folder given (`--project DIR`, else the current one) when
 * it holds manage.py, else the one folder directly inside it that does (a
 * repository with the Django project one level down). With none or several
 * there, the folder given is kept, and the daemon's answer says what is
 * missing.
 */
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';

/** Folders that hold environments and tools, never the project. */
const SKIPPED = new Set(['node_modules', '.venv', 'venv', 'env', '.git', '__pycache__', 'site-packages']);

export function projectFolder(dir: string): string {
  if (existsSync(path.join(dir, 'manage.py'))) return dir;
  let entries: string[];
  try {
    entries = readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !SKIPPED.has(e.name))
      .map((e) => e.name);
  } catch {
    return dir;
  }
  const found = entries.filter((name) => existsSync(path.join(dir, name, 'manage.py')));
  return found.length === 1 ? path.join(dir, found[0]) : dir;
}
