/**
 * Fresh copies of the bundled demo project and of the fixtures, set up with a
 * virtualenv and database, and a way to run a copy's manage.py.
 */
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
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

/**
 * For a suite: `count` private copies of `source` (with their venv when
 * `setup`), made in a `before` hook and removed after the suite.
 */
export function useProjectCopies(source: string, count: number, setup: boolean): () => string[] {
  const copies: string[] = [];
  before(function () {
    this.timeout(30_000 * count); // venv and migrations, a few seconds each on a busy machine
    for (let n = 0; n < count; n++) copies.push(copyProject(source, setup));
  });
  after(() => {
    for (const dir of copies.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    if (copies.length < count) throw new Error('the suite project copies exist only while the suite runs');
    return copies;
  };
}

/** Runs `manage.py args` of a set-up copy with its venv's Python and `env` added; resolves to its stdout. */
export function manage(project: string, args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const python = path.join(project, '.venv', 'bin', 'python');
    execFile(python, ['manage.py', ...args], { cwd: project, env: { ...process.env, ...env }, timeout: timeoutMs }, (error, stdout, stderr) =>
      error ? reject(new Error(`manage.py ${args.join(' ')} in ${project} failed: ${error.message}\n${stderr}`)) : resolve(stdout),
    );
  });
}
