/**
 * Which settings module a project runs with, where that name came from, and
 * its file on the folders Python searches (pythonSearchPath.ts), found without
 * running anything. The first that names one wins:
 *   1. the person's choice, sent by the client (the CLI's `--settings`, the
 *      `multisiteLocal.settingsModule` setting),
 *   2. `"settings"` in multisite.json,
 *   3. `DJANGO_SETTINGS_MODULE` in `.env-local`, then `.env` (the environment
 *      the project is run with overrides manage.py's default),
 *   4. manage.py's `os.environ.setdefault("DJANGO_SETTINGS_MODULE", …)`,
 *   5. pytest-django's or django-stubs' configuration: pyproject.toml,
 *      pytest.ini, setup.cfg, tox.ini (a project whose manage.py computes the
 *      name still names it there).
 * The module found (1-4) is passed to every run of the project's code as
 * DJANGO_SETTINGS_MODULE, so what is read statically is what Django imports.
 * One only pytest's configuration names (5) is read statically but never
 * passed: it is often the test settings, and manage.py computing its own
 * (`"config.settings." + os.environ.get("ENV", "local")`) decides what runs;
 * the read of Django then says which it was (projectSites.ts reads that one).
 * Also the other settings modules beside it (settings/dev.py, prod.py,
 * settings_local.py …) a person may choose instead.
 */
import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import { ConfigFileRefused, readConfigText } from '../base/configFile';
import { DaemonError } from '../base/daemonError';
import { oneLine } from '../base/sentence';
import { DaemonErrorCode } from '../../protocol/protocol';
import type { OpenProjectParams } from '../../protocol/protocol';
import { isModuleName } from '../../protocol/settingsModuleName';
import { readText } from '../base/textFile';
import { readMultisiteJson, MULTISITE_JSON } from './multisiteJson';
import { pythonSearchPath } from './pythonSearchPath';
import { dotenvSettingsModule, iniSettingsModule, manageSettingsModule, pyprojectSettingsModule } from './settingsDeclarations';
import type { Declared } from './settingsDeclarations';

/** A module the person chose, and where they chose it, for people ("--settings", "the multisiteLocal.settingsModule setting"). */
export interface SettingsChoice {
  module: string;
  from: string;
  /** False for the module Django said manage.py ran with (not passed: manage.py decides again each run); default true. */
  passed?: boolean;
}

/** The person's choice of settings module in an open's params, checked: a name Python can import, else one sentence saying where it was given. */
export function settingsChoice(params: OpenProjectParams): SettingsChoice | null {
  const module = params.settingsModule;
  if (module === null || module === undefined || module === '') return null;
  const from = typeof params.settingsModuleFrom === 'string' && params.settingsModuleFrom.trim() ? oneLine(params.settingsModuleFrom) : 'the client';
  if (typeof module !== 'string' || !isModuleName(module))
    throw new DaemonError(
      DaemonErrorCode.BadRequest,
      `The settings module ${JSON.stringify(module)} (${from}) is not a dotted Python module name such as mysite.settings.local.`,
    );
  return { module, from };
}

export interface SettingsLocation {
  /** The dotted module, or null when nothing names one. */
  module: string | null;
  /** Where the name came from, for people: `manage.py:8`, `.env:2`, `multisite.json:3`, or the client's words. */
  from: string | null;
  /** The file and line that name it, when a file does. */
  declaredIn: { file: string; line: number } | null;
  /** The module's own file (`x.py`, or `x/__init__.py` for a package), or null when no searched folder holds it. */
  file: string | null;
  isPackage: boolean;
  /** The folders searched, in Python's order (see pythonSearchPath.ts). */
  searchPath: string[];
  /** The other settings modules beside it, dotted, that a person may choose instead. */
  others: string[];
  /** Whether runs get it as DJANGO_SETTINGS_MODULE (1-4 above); false: manage.py decides what runs. */
  passed: boolean;
  /**
   * Whether the person chose it (1-2 above). A compose service keeps its own environment, which
   * may name a module for the container: only a choice overrides it there.
   */
  chosen: boolean;
  /** Files that can change the answer (watched). */
  files: string[];
  /** Files refused whole (too large, not a regular file), each with its sentence. */
  refused: ConfigFileRefused[];
}

/**
 * The files that may name the module, in the order they are asked after the person's choice and
 * multisite.json; `runs`: what they name is what manage.py runs with (pytest's is what pytest does).
 */
const DECLARING: { name: string; runs: boolean; read: (text: string) => Declared | null }[] = [
  { name: '.env-local', runs: true, read: dotenvSettingsModule },
  { name: '.env', runs: true, read: dotenvSettingsModule },
  { name: 'manage.py', runs: true, read: manageSettingsModule },
  { name: 'pyproject.toml', runs: false, read: pyprojectSettingsModule },
  { name: 'pytest.ini', runs: false, read: (text) => iniSettingsModule(text, ['pytest']) },
  { name: 'setup.cfg', runs: false, read: (text) => iniSettingsModule(text, ['tool:pytest']) },
  { name: 'tox.ini', runs: false, read: (text) => iniSettingsModule(text, ['pytest']) },
];

/** The file of a dotted module in the first of `folders` that holds it, as Python's import finds it: a module, or a package. */
export async function findModule(folders: readonly string[], dotted: string): Promise<{ file: string; source: string; isPackage: boolean } | null> {
  for (const folder of folders) {
    const base = path.join(folder, ...dotted.split('.'));
    for (const [file, isPackage] of [
      [`${base}.py`, false],
      [path.join(base, '__init__.py'), true],
    ] as const) {
      const source = await readConfigText(file);
      if (source !== null) return { file, source, isPackage };
    }
  }
  return null;
}

/** Python module files in `dir` (not private, not `__init__`), as module names. */
async function moduleNames(dir: string, keep: (name: string) => boolean): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names
    .filter((n) => n.endsWith('.py'))
    .map((n) => n.slice(0, -3))
    .filter((n) => !n.startsWith('_') && keep(n))
    .sort();
}

/**
 * The settings modules a person may choose instead of `module`: the other modules of a settings
 * package (`settings/base.py`, `dev.py`, `prod.py`), the modules of `module` itself when it is such
 * a package, or the `settings_*.py` beside a `settings.py`.
 */
async function otherModules(module: string, file: string, isPackage: boolean): Promise<string[]> {
  const parts = module.split('.');
  const parent = parts.slice(0, -1);
  const dotted = (prefix: string[], name: string): string => [...prefix, name].join('.');
  let found: string[];
  if (isPackage) {
    // `proj.settings` is settings/__init__.py: its modules (base, dev, prod) are the choices.
    found = (await moduleNames(path.dirname(file), () => true)).map((n) => dotted(parts, n));
  } else if (parent.length > 0 && /settings|config|conf/i.test(parent[parent.length - 1])) {
    found = (await moduleNames(path.dirname(file), () => true)).map((n) => dotted(parent, n));
  } else {
    found = (await moduleNames(path.dirname(file), (n) => /^settings/i.test(n))).map((n) => dotted(parent, n));
  }
  return found.filter((m) => m !== module);
}

/**
 * Where the settings of the project at `root` are, `choice` being what the person chose (null:
 * none). `environments`: further environments whose .pth files Python reads (the client's VIRTUAL_ENV).
 */
export async function locateSettings(root: string, choice: SettingsChoice | null, environments: readonly string[] = []): Promise<SettingsLocation> {
  const location: SettingsLocation = {
    module: null,
    passed: false,
    chosen: false,
    from: null,
    declaredIn: null,
    file: null,
    isPackage: false,
    searchPath: [],
    others: [],
    files: DECLARING.map((d) => path.join(root, d.name)),
    refused: [],
  };
  const texts = new Map<string, string | null>();
  for (const { name } of DECLARING) {
    const file = path.join(root, name);
    texts.set(name, (await readText(file, (error) => void location.refused.push(error))) ?? null);
  }
  if (choice) {
    location.module = choice.module;
    location.from = choice.from;
    location.passed = choice.passed ?? true;
    location.chosen = location.passed;
  } else {
    const projectFile = await readMultisiteJson(root);
    if (projectFile?.settings) {
      location.module = projectFile.settings.module;
      location.passed = true;
      location.chosen = true;
      location.from = `${MULTISITE_JSON}:${projectFile.settings.line}`;
      location.declaredIn = { file: projectFile.file, line: projectFile.settings.line };
    }
  }
  for (const { name, runs, read } of DECLARING) {
    if (location.module) break;
    const declared = read(texts.get(name) ?? '');
    if (!declared) continue;
    location.module = declared.module;
    location.passed = runs;
    location.from = `${name}:${declared.line}`;
    location.declaredIn = { file: path.join(root, name), line: declared.line };
  }
  location.searchPath = await pythonSearchPath(root, texts.get('manage.py') ?? null, environments);
  if (!location.module) return location;
  const found = await findModule(location.searchPath, location.module).catch((error: unknown) => {
    if (!(error instanceof ConfigFileRefused)) throw error;
    location.file = error.file;
    location.refused.push(error);
    return null;
  });
  if (found) {
    location.file = found.file;
    location.isPackage = found.isPackage;
    location.others = await otherModules(location.module, found.file, found.isPackage);
  }
  return location;
}
