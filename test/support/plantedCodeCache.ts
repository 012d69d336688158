/**
 * V8 code for one of our bundles (dist/wire.js, dist/daemonMain.js) that is
 * not that bundle's: what someone who could plant a file in the code cache
 * would put there. V8 checks only the
 * source's length (and its own version and flags) before it runs cached code,
 * so code compiled from another source of the same length, here one that
 * writes a marker file, runs in place of the bundle when a process takes it. It
 * is compiled in a plain `node` (as the CLI runs: the same flags), never run,
 * and written under the name a process looks for (codeCacheFile).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { codeCacheFile } from '../../home/codeCache';
import { REPO_ROOT } from './demoProject';

/** Compiles its stdin (the source to run instead) under the bundle's name and wrapper (as home/codeCache.ts loads it), and writes V8's code to its second argument. */
const COMPILE = `
const { Script } = require('node:vm');
const { readFileSync, writeFileSync } = require('node:fs');
const source = readFileSync(0, 'utf8');
const [bundle, out] = process.argv.slice(1);
const script = new Script('(function (exports, require, module, __filename, __dirname) { ' + source + '\\n})', { filename: bundle });
writeFileSync(out, script.createCachedData(), { mode: 0o600 });
`;

/**
 * Writes into `folder` the code cache file a process would read for dist/`name` as it is, holding
 * code that creates `marker`; returns its path. `flags`: the V8 flags of the process that would
 * read it (V8 rejects code compiled under other flags): the daemon's for its bundle.
 */
export function plantCodeCache(folder: string, marker: string, name = 'wire.js', flags: string[] = []): string {
  const bundle = path.join(REPO_ROOT, 'dist', name);
  const source = readFileSync(bundle, 'utf8');
  const payload = `require("node:fs").writeFileSync(${JSON.stringify(marker)}, "planted code ran");`;
  const planted = payload + ' '.repeat(source.length - payload.length);
  const file = codeCacheFile(folder, bundle, source);
  execFileSync(process.execPath, [...flags, '-e', COMPILE, bundle, file], { input: planted, stdio: 'pipe' });
  return file;
}
