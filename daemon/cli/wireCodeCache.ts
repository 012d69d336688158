/**
 * V8's code for dist/wire.js (the JSON-RPC and WebSocket libraries), kept
 * between CLI runs. Compiling that file, function by function as each first
 * runs, was the largest part of the CLI's start-up (npm run bench, figure 6:
 * `status` against `node -e 0`); given V8's code from an earlier run, the CLI
 * skips that work. Node 22 does this for every module
 * (module.enableCompileCache); Node 20, which this project runs on, does not.
 *
 * The code is taken when the process exits, so it holds every function the
 * command ran, not only those compiled up front. It is kept in the daemon's
 * home, and only when that exists and is private (`status` with no daemon
 * creates nothing), in a file named by a hash of V8's version and of wire.js:
 * V8 checks the source's length, not its bytes, so code for another wire.js of
 * the same length would otherwise run against this one. A file V8 rejects, or
 * one that is not a private file of ours, is written again (replaced, never
 * written through). The cache only makes the CLI faster, so nothing that goes
 * wrong with it changes what a command does.
 */
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { Script } from 'node:vm';
import { DaemonHome } from '../protocol/daemonHome';
import { directoryProblem, factsOf } from '../protocol/fileOwnership';
import { ensurePrivateDir, ownUid, readPrivateBytes, writeFileAtomic } from '../protocol/safeFile';

/** The file of the code cache in `folder` for this V8 and this wire.js source. */
export function codeCacheFile(folder: string, source: string): string {
  const hash = createHash('sha256').update(process.versions.v8).update('\0').update(source).digest('hex');
  return path.join(folder, `wire-${hash.slice(0, 16)}.v8`);
}

/** The folder for the code cache, or null when the daemon's home does not exist or is not private. */
export function codeCacheFolder(home: DaemonHome): string | null {
  const stats = lstatSync(home.dir, { throwIfNoEntry: false });
  if (!stats || directoryProblem(factsOf(stats), ownUid())) return null;
  return path.join(home.dir, 'code-cache');
}

function readCache(file: string): Buffer | undefined {
  try {
    return readPrivateBytes(file, 'The code cache', 'it is written again.') ?? undefined;
  } catch {
    return undefined;
  }
}

/** Keeps `script`'s code as it is now (every function run so far), and drops code kept for other sources. */
function saveCache(folder: string, file: string, script: Script): void {
  try {
    ensurePrivateDir(folder, 'The code cache folder');
    for (const name of readdirSync(folder)) if (name !== path.basename(file)) rmSync(path.join(folder, name), { force: true });
    writeFileAtomic(file, script.createCachedData());
  } catch {
    // Only speed is lost: the next run compiles wire.js again, and tries to keep its code again.
  }
}

/** Loads `filename` into `module` as Node would, with V8's code from `folder` when it has some. */
function loadWithCache(module: NodeModule, filename: string, folder: string): void {
  const source = readFileSync(filename, 'utf8');
  const file = codeCacheFile(folder, source);
  const cachedData = readCache(file);
  // Node's module wrapper, on the source's first line, so that line and column numbers stay the file's.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) { ${source}\n})`, { filename, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) process.once('exit', () => saveCache(folder, file, script));
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, createRequire(filename), module, filename, path.dirname(filename));
}

/**
 * From now on dist/wire.js (beside the bundle this runs in) loads through the
 * code cache. Called before anything requires it: see cliStartup.ts.
 */
export function cacheWireCode(home = new DaemonHome()): void {
  const folder = codeCacheFolder(home);
  if (folder === null) return;
  const wire = path.join(__dirname, 'wire.js');
  // Deprecated in Node's documentation as a way to compile other languages on the fly; still the hook for how one file loads.
  const extensions = require.extensions;
  const plain = extensions['.js'];
  extensions['.js'] = (module, filename) => {
    if (filename === wire) loadWithCache(module, filename, folder);
    else plain(module, filename);
  };
}
