/** Fresh copies of the bundled demo project, set up with a virtualenv and database. */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const DEMO_SOURCE = path.join(REPO_ROOT, 'examples', 'multisite-demo');

/** Creates the demo's .venv and sqlite database in `dir` (the demo's own setup script). */
export function prepareDemo(dir: string): void {
  execFileSync('sh', [path.join(dir, 'setup-demo.sh'), dir], { stdio: 'pipe' });
}

/** A private, ready-to-serve copy of the demo project in a temp folder. */
export function copyDemo(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'msl-demo-'));
  cpSync(DEMO_SOURCE, dir, {
    recursive: true,
    filter: (src) => !/(\.venv|db\.sqlite3|__pycache__)$/.test(src),
  });
  prepareDemo(dir);
  return dir;
}
