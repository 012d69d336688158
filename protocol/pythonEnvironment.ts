/**
 * What a client sends of its own environment with an open (OpenProjectParams.pythonEnvironment):
 * the variables that say where the project's Python environments live, and nothing else, since
 * the daemon is shared by clients started from different shells.
 */
import { PYTHON_ENVIRONMENT_VARIABLES } from './protocol';

export type PythonEnvironment = Partial<Record<string, string>>;

/** The variables interpreter discovery reads, from `env`. */
export function pythonEnvironmentOf(env: NodeJS.ProcessEnv): PythonEnvironment {
  const picked: PythonEnvironment = {};
  for (const name of PYTHON_ENVIRONMENT_VARIABLES) if (env[name] !== undefined) picked[name] = env[name];
  return picked;
}
