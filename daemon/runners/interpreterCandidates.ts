/**
 * The interpreters that may run a project, in the order a developer expects
 * them to win: the one selected for the folder in VS Code's Python extension,
 * the interpreter setting, the project's `.venv` / `venv` and `$VIRTUAL_ENV`,
 * the environments its tools made (toolEnvironments.ts), then every `python3`
 * and `python` on PATH. Only paths and where each came from; which one imports
 * Django is found by probing them (interpreter.ts).
 */
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { SelectedInterpreter } from '../../protocol/protocol';
import { pythonEnvironmentOf } from '../../protocol/pythonEnvironment';
import type { PythonEnvironment } from '../../protocol/pythonEnvironment';
import { pathPythons } from './pathPythons';
import { toolEnvironments, venvPython } from './toolEnvironments';

export interface InterpreterHints {
  /** The client's `VIRTUAL_ENV` (else the environment's). */
  virtualEnv?: string | null;
  /** The interpreter setting: a path (relative to the project) or a name looked up on PATH. */
  pythonPath?: string | null;
  /** Selected for the folder in VS Code's Python extension or Python Environments extension. */
  selected?: SelectedInterpreter | null;
  /** The client's PYTHON_ENVIRONMENT_VARIABLES; the daemon's own when absent. */
  environment?: PythonEnvironment | null;
}

export interface Candidate {
  command: string;
  /** Where it came from, for people: "selected in the Python extension", ".venv", "PATH". */
  origin: string;
  /** A pyenv shim found on PATH (said so when it is skipped). */
  pyenvShim?: boolean;
  /** Found on PATH: one that could not import Django is named in the origin of the one chosen after it. */
  onPath?: boolean;
}

async function isDirectory(file: string): Promise<boolean> {
  return stat(file).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

const SELECTED_BY = { python: 'selected in the Python extension', pythonEnvironments: 'selected in the Python Environments extension' } as const;

export async function interpreterCandidates(root: string, hints: InterpreterHints): Promise<Candidate[]> {
  const env = hints.environment ?? pythonEnvironmentOf(process.env);
  const candidates: Candidate[] = [];
  if (hints.selected) {
    // The extensions may name an environment's folder rather than its interpreter.
    const chosen = path.resolve(root, hints.selected.path);
    candidates.push({ command: (await isDirectory(chosen)) ? venvPython(chosen) : chosen, origin: SELECTED_BY[hints.selected.by] });
  }
  if (hints.pythonPath) {
    let command = hints.pythonPath;
    if (/[\\/]/.test(command)) command = path.resolve(root, command);
    else command = (await pathPythons(env.PATH, env, [command]))[0]?.command ?? command; // a bare name, on the client's PATH
    candidates.push({ command, origin: 'the Python interpreter setting' });
  }
  candidates.push({ command: venvPython(path.join(root, '.venv')), origin: '.venv' }, { command: venvPython(path.join(root, 'venv')), origin: 'venv' });
  const virtualEnv = hints.virtualEnv ?? env.VIRTUAL_ENV;
  if (virtualEnv) candidates.push({ command: venvPython(virtualEnv), origin: '$VIRTUAL_ENV' });
  candidates.push(...(await toolEnvironments(root, env)));
  for (const found of await pathPythons(env.PATH, env)) candidates.push({ command: found.command, origin: 'PATH', pyenvShim: found.pyenvShim, onPath: true });
  // The same interpreter reached twice (uv's and Poetry's in-project .venv) is tried once, under its first origin.
  const seen = new Set<string>();
  return candidates.filter((c) => !seen.has(c.command) && seen.add(c.command));
}
