/** Fresh copies of the bundled demo project, set up with a virtualenv and database. */
import { execFileSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import * as path from 'node:path';
import { tempFolder } from './tempProject';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const DEMO_SOURCE = path.join(REPO_ROOT, 'examples', 'multisite-demo');

/** Creates the demo's .venv and sqlite database in `dir` (the demo's own setup script). */
export function prepareDemo(dir: string): void {
  execFileSync('sh', [path.join(DEMO_SOURCE, 'setup-demo.sh'), dir], { stdio: 'pipe' });
}

export const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures');

/** A private copy of a project in a temp folder; `setup` creates its .venv and database. */
export function copyProject(source: string, setup: boolean): string {
  const dir = tempFolder(path.basename(source));
  cpSync(source, dir, {
    recursive: true,
    filter: (src) => !/(\.venv|db\.sqlite3|__pycache__|\.marker)$/.test(src),
  });
  if (setup) prepareDemo(dir);
  return dir;
}

/** A private, ready-to-serve copy of the demo project. */
export function copyDemo(): string {
  return copyProject(DEMO_SOURCE, true);
}
