/**
 * What a client's open says about the project's Python (its `VIRTUAL_ENV`, the
 * interpreter setting, the interpreter selected in VS Code, its environment
 * variables), checked: a value of the wrong shape is refused with one sentence
 * naming it, never passed on to a spawn.
 */
import { DaemonError } from '../base/daemonError';
import { DaemonErrorCode, PYTHON_ENVIRONMENT_VARIABLES } from '../../protocol/protocol';
import type { OpenProjectParams } from '../../protocol/protocol';
import type { InterpreterHints } from './interpreterCandidates';
import type { PythonEnvironment } from '../../protocol/pythonEnvironment';

function badRequest(message: string): DaemonError {
  return new DaemonError(DaemonErrorCode.BadRequest, message);
}

const isText = (value: unknown): value is string => typeof value === 'string' && value !== '' && !value.includes('\0');

export function interpreterHints(params: OpenProjectParams): InterpreterHints {
  const { pythonPath, selectedInterpreter, pythonEnvironment } = params;
  const virtualEnv = params.virtualEnv === '' ? null : params.virtualEnv; // an empty VIRTUAL_ENV is none
  if (virtualEnv != null && !isText(virtualEnv)) throw badRequest('"virtualEnv" in the open request must be a folder path.');
  if (pythonPath != null && !isText(pythonPath)) throw badRequest('"pythonPath" in the open request must be an interpreter path or name.');
  if (selectedInterpreter != null) {
    const { path, by } = selectedInterpreter as { path?: unknown; by?: unknown };
    if (!isText(path) || (by !== 'python' && by !== 'pythonEnvironments'))
      throw badRequest('"selectedInterpreter" in the open request must be { path, by: "python" | "pythonEnvironments" }.');
  }
  let environment: PythonEnvironment | null = null;
  if (pythonEnvironment != null) {
    if (typeof pythonEnvironment !== 'object' || Array.isArray(pythonEnvironment))
      throw badRequest('"pythonEnvironment" in the open request must map variable names to text.');
    environment = {};
    for (const [name, value] of Object.entries(pythonEnvironment)) {
      if (!(PYTHON_ENVIRONMENT_VARIABLES as readonly string[]).includes(name))
        throw badRequest(`"pythonEnvironment" in the open request names ${JSON.stringify(name)}, which is not read.`);
      if (typeof value !== 'string' || value.includes('\0')) throw badRequest(`"pythonEnvironment.${name}" in the open request must be text.`);
      environment[name] = value;
    }
  }
  return { virtualEnv: virtualEnv ?? null, pythonPath: pythonPath ?? null, selected: selectedInterpreter ?? null, environment };
}
