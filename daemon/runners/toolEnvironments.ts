/**
 * Where the Python tools a project uses keep its environment, found from the
 * project's files and the tools' own configuration, as each tool looks for it:
 * Poetry (`poetry.lock` or `[tool.poetry]`: `{virtualenvs.path}/<name>-<hash>-py3.X`,
 * or `.venv` when in-project), Pipenv (`Pipfile`: `$WORKON_HOME/<folder>-<hash>`),
 * uv (`uv.lock`: `UV_PROJECT_ENVIRONMENT`, else `.venv`) and conda
 * (`environment.yml`'s name under the usual installs' `envs`, `CONDA_PREFIX`).
 * Only paths: whether they exist and import Django is the caller's probe.
 */
import { readdir, readFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { PythonEnvironment } from '../../protocol/pythonEnvironment';
import { pipenvEnvName, poetryEnvName } from './envNames';
import { hasTable, tomlValue } from './tomlKeys';

export interface ToolCandidate {
  command: string;
  origin: string;
}

const isWindows = process.platform === 'win32';

/** A virtualenv's interpreter. */
export const venvPython = (venv: string): string => (isWindows ? path.join(venv, 'Scripts', 'python.exe') : path.join(venv, 'bin', 'python'));
/** A conda environment's interpreter (at its root on Windows). */
const condaPython = (prefix: string): string => (isWindows ? path.join(prefix, 'python.exe') : path.join(prefix, 'bin', 'python'));

async function readText(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return null;
  }
}

function home(env: PythonEnvironment): string {
  return env.HOME || os.homedir();
}

/** `~` and `~/…` as the tools expand them. */
function expandHome(value: string, env: PythonEnvironment): string {
  return value === '~' || value.startsWith('~/') ? path.join(home(env), value.slice(1)) : value;
}

const truthy = (value: string | boolean | undefined): boolean | undefined =>
  typeof value === 'boolean' ? value : value === undefined ? undefined : ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());

/** Poetry's cache and config folders (platformdirs' user_cache_dir / user_config_dir for "pypoetry"). */
function poetryDirs(env: PythonEnvironment): { cache: string; config: string } {
  const h = home(env);
  if (process.platform === 'darwin')
    return { cache: path.join(h, 'Library', 'Caches', 'pypoetry'), config: path.join(h, 'Library', 'Application Support', 'pypoetry') };
  if (isWindows) {
    return {
      cache: path.join(env.LOCALAPPDATA ?? path.join(h, 'AppData', 'Local'), 'pypoetry', 'Cache'),
      config: path.join(env.APPDATA ?? path.join(h, 'AppData', 'Roaming'), 'pypoetry'),
    };
  }
  return {
    cache: path.join(env.XDG_CACHE_HOME || path.join(h, '.cache'), 'pypoetry'),
    config: path.join(env.XDG_CONFIG_HOME || path.join(h, '.config'), 'pypoetry'),
  };
}

/** Python versions in `-py3.12` suffixes, newest first (Poetry keeps one environment per minor version). */
function newestFirst(names: string[], prefix: string): string[] {
  const minor = (name: string): number[] => name.slice(prefix.length).split('.').map(Number);
  return names
    .filter((name) => name.startsWith(prefix) && /^\d+\.\d+$/.test(name.slice(prefix.length)))
    .sort((a, b) => {
      const [x, y] = [minor(a), minor(b)];
      return y[0] - x[0] || y[1] - x[1];
    });
}

async function poetry(root: string, env: PythonEnvironment): Promise<ToolCandidate[]> {
  const pyproject = await readText(path.join(root, 'pyproject.toml'));
  const locked = (await readText(path.join(root, 'poetry.lock'))) !== null;
  if (pyproject === null || !(locked || hasTable(pyproject, 'tool.poetry'))) return [];
  // Poetry 2 names the package from [project], Poetry 1 from [tool.poetry].
  const name = tomlValue(pyproject, 'project', 'name') ?? tomlValue(pyproject, 'tool.poetry', 'name');
  const dirs = poetryDirs(env);
  const local = (await readText(path.join(root, 'poetry.toml'))) ?? '';
  const global = (await readText(path.join(env.POETRY_CONFIG_DIR || dirs.config, 'config.toml'))) ?? '';
  const setting = (key: string): string | boolean | undefined => tomlValue(local, 'virtualenvs', key) ?? tomlValue(global, 'virtualenvs', key);
  const inProject = truthy(env.POETRY_VIRTUALENVS_IN_PROJECT) ?? truthy(setting('in-project'));
  if (inProject) return [{ command: venvPython(path.join(root, '.venv')), origin: 'Poetry environment (.venv, in-project)' }];
  if (typeof name !== 'string') return [];
  const cacheSetting = tomlValue(global, '', 'cache-dir') ?? tomlValue(local, '', 'cache-dir');
  const cacheDir = expandHome(env.POETRY_CACHE_DIR || (typeof cacheSetting === 'string' ? cacheSetting : dirs.cache), env);
  const pathSetting = setting('path');
  const venvs = expandHome(
    env.POETRY_VIRTUALENVS_PATH || (typeof pathSetting === 'string' ? pathSetting.replace('{cache-dir}', cacheDir) : path.join(cacheDir, 'virtualenvs')),
    env,
  );
  const prefix = `${poetryEnvName(name, root)}-py`;
  const entries = await readdir(venvs).catch(() => [] as string[]);
  return newestFirst(entries, prefix).map((entry) => ({ command: venvPython(path.join(venvs, entry)), origin: `Poetry environment (${entry})` }));
}

async function pipenv(root: string, env: PythonEnvironment): Promise<ToolCandidate[]> {
  const pipfile = path.join(root, 'Pipfile');
  if ((await readText(pipfile)) === null) return [];
  const workon = env.WORKON_HOME ? expandHome(env.WORKON_HOME, env) : path.join(env.XDG_DATA_HOME || path.join(home(env), '.local', 'share'), 'virtualenvs');
  const name = env.PIPENV_CUSTOM_VENV_NAME || pipenvEnvName(path.basename(root), pipfile);
  return [{ command: venvPython(path.join(workon, name)), origin: `Pipenv environment (${name})` }];
}

async function uv(root: string, env: PythonEnvironment): Promise<ToolCandidate[]> {
  // Without UV_PROJECT_ENVIRONMENT uv uses .venv, which is tried first anyway.
  if (!env.UV_PROJECT_ENVIRONMENT || (await readText(path.join(root, 'uv.lock'))) === null) return [];
  return [{ command: venvPython(path.resolve(root, expandHome(env.UV_PROJECT_ENVIRONMENT, env))), origin: 'uv environment (UV_PROJECT_ENVIRONMENT)' }];
}

/** environment.yml's `name:`, when it has a plain one. */
async function condaEnvName(root: string): Promise<string | null> {
  for (const file of ['environment.yml', 'environment.yaml']) {
    const text = await readText(path.join(root, file));
    if (text === null) continue;
    try {
      const name = (parseYaml(text) as { name?: unknown } | null)?.name;
      if (typeof name === 'string' && /^[^/\\\s]+$/.test(name)) return name;
    } catch {
      return null; // not YAML: no name to look for
    }
  }
  return null;
}

async function conda(root: string, env: PythonEnvironment): Promise<ToolCandidate[]> {
  const found: ToolCandidate[] = [];
  const name = await condaEnvName(root);
  if (name) {
    const h = home(env);
    const prefix = env.CONDA_PREFIX;
    // The active install first: CONDA_PREFIX is its base, or one of its envs.
    const active = prefix ? (path.basename(path.dirname(prefix)) === 'envs' ? path.dirname(prefix) : path.join(prefix, 'envs')) : null;
    const installs = ['miniconda3', 'anaconda3', 'miniforge3', 'mambaforge', '.conda'].map((base) => path.join(h, base, 'envs'));
    for (const envs of active ? [active, ...installs] : installs)
      found.push({ command: condaPython(path.join(envs, name)), origin: `conda environment ${name}` });
  }
  if (env.CONDA_PREFIX) found.push({ command: condaPython(env.CONDA_PREFIX), origin: 'CONDA_PREFIX' });
  return found;
}

/** The environments the project's tools made, in the order Poetry, Pipenv, uv, conda. */
export async function toolEnvironments(root: string, env: PythonEnvironment): Promise<ToolCandidate[]> {
  const found = await Promise.all([poetry(root, env), pipenv(root, env), uv(root, env), conda(root, env)]);
  return found.flat();
}
