/**
 * V8 code for dist/wire.js that is not wire.js's: what someone who could
 * plant a file in the CLI's code cache would put there. V8 checks only the
 * source's length (and its own version and flags) before it runs cached code,
 * so code compiled from another source of the same length, here one that
 * writes a marker file, runs in place of wire.js when the CLI takes it. It is
 * compiled in a plain `node` (as the CLI runs: the same flags), never run, and
 * written under the name the CLI looks for (codeCacheFile).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { codeCacheFile } from '../../daemon/cli/wireCodeCache';
import { REPO_ROOT } from './demoProject';

const WIRE = path.join(REPO_ROOT, 'dist', 'wire.js');

/** Compiles its stdin (the source to run instead) under wire.js's name and wrapper (as wireCodeCache.ts loads it), and writes V8's code to its second argument. */
const COMPILE = `
const { Script } = require('node:vm');
const { readFileSync, writeFileSync } = require('node:fs');
const source = readFileSync(0, 'utf8');
const [wire, out] = process.argv.slice(1);
const script = new Script('(function (exports, require, module, __filename, __dirname) { ' + source + '\\n})', { filename: wire });
writeFileSync(out, script.createCachedData(), { mode: 0o600 });
`;

/** Writes into `folder` the code cache file the CLI would read for this wire.js, holding code that creates `marker`; returns its path. */
export function plantCodeCache(folder: string, marker: string): string {
  const source = readFileSync(WIRE, 'utf8');
  const payload = `require("node:fs").writeFileSync(${JSON.stringify(marker)}, "planted code ran");`;
  const planted = payload + ' '.repeat(source.length - payload.length);
  const file = codeCacheFile(folder, source);
  execFileSync(process.execPath, ['-e', COMPILE, WIRE, file], { input: planted, stdio: 'pipe' });
  return file;
}
