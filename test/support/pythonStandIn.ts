/**
 * Packages the Python extension's stand-in (test/fixtures/python-extension-standin) at test
 * time: its TypeScript bundled with esbuild, then `vsce package`, as the product is packaged.
 * The .vsix is installed in code-server beside the product's, under the real extension's id.
 */
import { execFileSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { FIXTURES, REPO_ROOT } from './demoProject';
import { tempFolder } from './tempProject';

/** Builds and packages the stand-in in `dir` (a temp folder when not given); resolves to its .vsix. */
export function packagePythonStandIn(dir = tempFolder('python-standin')): string {
  cpSync(path.join(FIXTURES, 'python-extension-standin'), dir, { recursive: true });
  buildSync({
    entryPoints: [path.join(dir, 'extension.ts')],
    outfile: path.join(dir, 'dist', 'extension.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    logLevel: 'error',
  });
  const vsix = path.join(dir, 'ms-python.python.vsix');
  const vsce = path.join(REPO_ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  execFileSync(process.execPath, [vsce, 'package', '--allow-missing-repository', '--skip-license', '--out', vsix], {
    cwd: dir,
    stdio: 'pipe',
    timeout: 120_000,
  });
  return vsix;
}
