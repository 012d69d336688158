/**
 * V8's code for our bundles, kept between runs: dist/wire.js (the JSON-RPC and
 * WebSocket libraries) for the CLI, dist/daemonMain.js and dist/wire.js for
 * the daemon. Compiling them, function by function as each first runs, was the
 * largest part of the CLI's start-up (npm run bench, figure 6: `status`
 * against `node -e 0`) and a fifth of the daemon's (figure 8, the first
 * switch); given V8's code from an earlier run, a process skips that work.
 * Node 22 does this for every module (module.enableCompileCache); Node 20,
 * which this project runs on, does not.
 *
 * The code is taken when the process exits, so it holds every function the
 * process ran, not only those compiled up front. It is kept in the daemon's
 * home, and only when that exists and is private (`status` with no daemon
 * creates nothing), in a file named by the bundle and a hash of V8's version
 * and of the bundle's source: V8 checks the source's length, not its bytes,
 * so code for another bundle of the same length would otherwise run against
 * this one. The CLI and the daemon share the code of wire.js. V8 runs the code it
 * is given as it is, so the folder gets the home's own checks too (ours, a
 * real folder, private): a link or file planted at its name is removed and a
 * private folder made in its place; a folder that fails them is not used. A
 * file V8 rejects, or one that is not a private file of ours, is written again
 * (replaced, never written through). The cache only makes a start faster, so
 * nothing that goes wrong with it changes what a process does.
 */
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { Script } from 'node:vm';
import { DaemonHome } from './daemonHome';
import { directoryProblem, factsOf } from './fileOwnership';
import { ensurePrivateDir, ownUid, readPrivateBytes, writeFileAtomic } from './safeFile';

/** The file of the code cache in `folder` for this V8 and this `source` of the bundle `name` (wire.js). */
export function codeCacheFile(folder: string, name: string, source: string): string {
  const hash = createHash('sha256').update(process.versions.v8).update('\0').update(source).digest('hex');
  return path.join(folder, `${stemOf(name)}-${hash.slice(0, 16)}.v8`);
}

const stemOf = (name: string): string => path.basename(name, '.js');

/**
 * Whether `folder` may hold the code: absent (made private when code is kept), or a private folder of
 * ours. Anything else at its name that is no folder (a link, a file) is removed: the entry itself, never
 * what a link points to; nobody else can change the home's entries meanwhile, as it is private. A folder
 * that fails the checks is left as it is, unused: removing a tree its owner can change while it is being
 * removed could be steered into removing files elsewhere.
 */
function usableFolder(folder: string): boolean {
  try {
    const stats = lstatSync(folder, { throwIfNoEntry: false });
    if (stats?.isDirectory()) return directoryProblem(factsOf(stats), ownUid()) === null;
    if (stats) unlinkSync(folder);
    return true;
  } catch {
    return false; // only speed is lost
  }
}

/** The folder for the code cache, or null when the daemon's home does not exist or is not private, or the folder is not ours and private. */
export function codeCacheFolder(home: DaemonHome): string | null {
  const stats = lstatSync(home.dir, { throwIfNoEntry: false });
  if (!stats || directoryProblem(factsOf(stats), ownUid())) return null;
  const folder = path.join(home.dir, 'code-cache');
  return usableFolder(folder) ? folder : null;
}

function readCache(file: string): Buffer | undefined {
  try {
    return readPrivateBytes(file, 'The code cache', 'it is written again.') ?? undefined;
  } catch {
    return undefined;
  }
}

/** Keeps `script`'s code as it is now (every function run so far), and drops code kept for other sources of the same bundle. */
function saveCache(folder: string, file: string, script: Script): void {
  const kept = path.basename(file);
  const sameBundle = (name: string): boolean => name.slice(0, name.lastIndexOf('-')) === kept.slice(0, kept.lastIndexOf('-'));
  try {
    ensurePrivateDir(folder, 'The code cache folder');
    for (const name of readdirSync(folder)) if (name !== kept && sameBundle(name)) rmSync(path.join(folder, name), { force: true });
    writeFileAtomic(file, script.createCachedData());
  } catch {
    // Only speed is lost: the next run compiles the bundle again, and tries to keep its code again.
  }
}

/** Loads `filename` into `module` as Node would, with V8's code from `folder` when it has some. */
function loadWithCache(module: NodeModule, filename: string, folder: string): void {
  const source = readFileSync(filename, 'utf8');
  const file = codeCacheFile(folder, filename, source);
  const cachedData = readCache(file);
  // Node's module wrapper, on the source's first line, so that line and column numbers stay the file's.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) { ${source}\n})`, { filename, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) process.once('exit', () => saveCache(folder, file, script));
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, createRequire(filename), module, filename, path.dirname(filename));
}

/**
 * From now on each of the bundles `names` (beside the bundle this runs in) loads
 * through the code cache. Called before anything requires them: see
 * cli/cliStartup.ts and daemonBoot.ts.
 */
export function loadThroughCodeCache(names: string[], home = new DaemonHome()): void {
  const folder = codeCacheFolder(home);
  if (folder === null) return;
  const cached = new Set(names.map((name) => path.join(__dirname, name)));
  // Deprecated in Node's documentation as a way to compile other languages on the fly; still the hook for how one file loads.
  const extensions = require.extensions;
  const plain = extensions['.js'];
  extensions['.js'] = (module, filename) => {
    if (cached.has(filename)) loadWithCache(module, filename, folder);
    else plain(module, filename);
  };
}
