/**
 * Temp folders for tests: one way to make a project from a few files, and a
 * mocha helper that removes every folder a suite made once the suite is done.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** An empty folder of our own under the OS temp dir; its name starts `msl-<name>-` to tell whose it is. */
export function tempFolder(name: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `msl-${name}-`));
}

/** A temp folder holding `files` (path relative to the root -> content), folders created as needed. */
export function tempProject(files: Record<string, string>, name = 'project'): string {
  const root = tempFolder(name);
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  }
  return root;
}

/**
 * For a suite that makes temp projects in its tests: the returned function is
 * `tempProject`, and every folder it made is removed after the suite (or after
 * each test, with `each`).
 */
export function useTempProjects(name = 'project', when: 'suite' | 'each' = 'suite'): (files?: Record<string, string>) => string {
  const roots: string[] = [];
  (when === 'each' ? afterEach : after)(() => {
    for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
  });
  return (files = {}) => {
    const root = tempProject(files, name);
    roots.push(root);
    return root;
  };
}
