/**
 * The folders Python searches for a project's own modules when manage.py
 * runs, found without running it, in Python's order: what manage.py inserts
 * in front of `sys.path`, manage.py's own folder (the project root), the src
 * layout's `src/`, what manage.py appends, then the site-packages of the
 * project's environment (a package installed there, `pip install .`) and the
 * folders its `.pth` files (editable installs, `pip install -e .`, uv and
 * Poetry's path dependencies) add, as `site` adds them.
 * The static reading of the settings (settingsModule.ts) looks for a module
 * in these folders, first hit winning, as the import system does.
 */
import { readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { readConfigText } from '../base/configFile';
import { editableFinderFolders, managePathEntries, pthFolders } from './settingsDeclarations';

/** The environments a project keeps beside manage.py (the interpreter helper finds others; these are where .pth files are read). */
const ENVIRONMENTS = ['.venv', 'venv', 'env'];
/** How many .pth files of one site-packages are read: a real environment has a few dozen. */
const MAX_PTH_FILES = 200;

async function isFolder(dir: string): Promise<boolean> {
  return stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/** The site-packages folders of the environment at `env` (POSIX `lib/pythonX.Y/site-packages`, Windows `Lib/site-packages`). */
async function sitePackages(env: string): Promise<string[]> {
  const found: string[] = [];
  for (const lib of ['lib', 'lib64']) {
    const names = await readdir(path.join(env, lib)).catch(() => [] as string[]);
    for (const name of names.filter((n) => /^python\d/.test(n)).sort()) {
      const dir = path.join(env, lib, name, 'site-packages');
      if (await isFolder(dir)) found.push(dir);
    }
  }
  const windows = path.join(env, 'Lib', 'site-packages');
  if (await isFolder(windows)) found.push(windows);
  return [...new Set(found)];
}

/** The folders the .pth files of `site` put on sys.path, in the order `site` reads them (sorted by name). */
async function pthPaths(site: string): Promise<string[]> {
  const names = (await readdir(site).catch(() => [] as string[])).sort();
  const folders: string[] = [];
  let read = 0;
  for (const name of names) {
    if (read >= MAX_PTH_FILES) break;
    if (name.endsWith('.pth')) {
      read++;
      const text = await readConfigText(path.join(site, name)).catch(() => null);
      for (const folder of pthFolders(text ?? '')) folders.push(path.resolve(site, folder));
    } else if (/^__editable__.*_finder\.py$/.test(name)) {
      // setuptools' strict/compat editable mode: no folder on sys.path, a finder mapping each package to its folder.
      read++;
      const text = await readConfigText(path.join(site, name)).catch(() => null);
      for (const { name: pkg, folder } of editableFinderFolders(text ?? '')) {
        if (path.basename(folder) === pkg) folders.push(path.dirname(folder));
      }
    }
  }
  return folders;
}

/**
 * The environment an interpreter belongs to, when it is one (a virtualenv's `pyvenv.cfg`, a conda
 * environment's `conda-meta/`): Poetry, uv, pipenv and conda keep it outside the project, and its
 * site-packages holds the project's editable install. Null for a system Python.
 */
export async function environmentOf(python: string): Promise<string | null> {
  const bin = path.dirname(python);
  if (!['bin', 'Scripts'].includes(path.basename(bin))) return null;
  const env = path.dirname(bin);
  const marked = await Promise.all([
    stat(path.join(env, 'pyvenv.cfg')).then(
      (s) => s.isFile(),
      () => false,
    ),
    isFolder(path.join(env, 'conda-meta')),
  ]);
  return marked.some(Boolean) ? env : null;
}

/**
 * Python's search path for the project at `root`, folders that exist only, each once. `environments`:
 * further environment folders to read .pth files from (the client's VIRTUAL_ENV).
 */
export async function pythonSearchPath(root: string, manageText: string | null, environments: readonly string[] = []): Promise<string[]> {
  const entries = managePathEntries(manageText ?? '');
  const inManage = (first: boolean): string[] => entries.filter((e) => e.first === first).map((e) => path.join(root, ...e.relative.split('/')));
  const candidates = [...inManage(true), root, path.join(root, 'src'), ...inManage(false)];
  for (const env of new Set([...ENVIRONMENTS.map((e) => path.join(root, e)), ...environments])) {
    for (const site of await sitePackages(env)) candidates.push(site, ...(await pthPaths(site)));
  }
  const folders: string[] = [];
  for (const dir of candidates) {
    if (!folders.includes(dir) && (await isFolder(dir))) folders.push(dir);
  }
  return folders;
}
