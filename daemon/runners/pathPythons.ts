/**
 * Every `python3`, then every `python`, on a PATH, walked entry by entry as a
 * shell would look them up but without one: the first `python3` may be pyenv's
 * shim for a version without Django while the system's, further on, has it, so
 * each is a candidate of its own. The same folder reached twice (`/bin` and
 * `/usr/bin` on merged-/usr systems) gives one candidate.
 */
import { constants } from 'node:fs';
import { access, realpath, stat } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';

const isWindows = process.platform === 'win32';
const NAMES = isWindows ? ['python3.exe', 'python.exe'] : ['python3', 'python'];

export interface PathPython {
  command: string;
  /** A pyenv shim (a script in pyenv's `shims` folder that runs the version pyenv picks). */
  pyenvShim: boolean;
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    if (!(await stat(file)).isFile()) return false;
    await access(file, isWindows ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Whether `file` is in pyenv's shims folder (PYENV_ROOT's, else `~/.pyenv`'s). */
export function isPyenvShim(file: string, env: Partial<Record<string, string>>): boolean {
  const dir = path.dirname(file);
  if (path.basename(dir) !== 'shims') return false;
  const root = env.PYENV_ROOT || path.join(env.HOME || os.homedir(), '.pyenv');
  return path.resolve(dir) === path.join(path.resolve(root), 'shims') || path.basename(path.dirname(dir)) === '.pyenv';
}

/** The `names` (default `python3`, `python`) found on `searchPath`, each name in PATH order. */
export async function pathPythons(searchPath: string | undefined, env: Partial<Record<string, string>>, names = NAMES): Promise<PathPython[]> {
  const dirs = (searchPath ?? '').split(path.delimiter).filter((dir) => dir !== '' && path.isAbsolute(dir));
  const seen = new Set<string>();
  const unique: string[] = [];
  for (const dir of dirs) {
    const real = await realpath(dir).catch(() => null);
    if (real === null || seen.has(real)) continue;
    seen.add(real);
    unique.push(dir);
  }
  const found: PathPython[] = [];
  for (const name of names) {
    for (const dir of unique) {
      const command = path.join(dir, name);
      if (await isExecutable(command)) found.push({ command, pyenvShim: isPyenvShim(command, env) });
    }
  }
  return found;
}
