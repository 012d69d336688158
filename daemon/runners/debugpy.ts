/**
 * Serving a site under debugpy, so that a debugger (VS Code, or any client of
 * the Debug Adapter Protocol) can attach: the server's Python runs
 * `-m debugpy --listen 127.0.0.1:<port>` before `manage.py`, and debugpy
 * speaks DAP on that port. Where debugpy comes from, in order: the project's
 * interpreter; the copy the Python Debugger extension bundles (its folder put
 * on PYTHONPATH, as that extension does); else one sentence with the command
 * that installs it for that interpreter.
 */
import { DaemonError } from '../base/daemonError';
import { DaemonErrorCode } from '../../protocol/protocol';
import type { ProjectCode } from './projectCode';

/** How a server is debugged: debugpy's port, and where to find debugpy when the interpreter has none. */
export interface DebugOptions {
  port: number;
  /** A folder holding the `debugpy` package, for PYTHONPATH; null: the interpreter imports its own. */
  pythonPath: string | null;
}

const PROBE_TIMEOUT_MS = 15_000;
const PROBE_ARGS = ['-c', 'import debugpy'];

/** The arguments before `manage.py`: debugpy listening on loopback, following the subprocesses runserver starts. */
export function debugpyArgs(port: number): string[] {
  return ['-m', 'debugpy', '--listen', `127.0.0.1:${port}`];
}

/** `env` with `folder` first on PYTHONPATH (null: as it is). */
export function withPythonPath(env: NodeJS.ProcessEnv, folder: string | null): NodeJS.ProcessEnv {
  if (folder === null) return env;
  return { ...env, PYTHONPATH: env.PYTHONPATH ? `${folder}:${env.PYTHONPATH}` : folder };
}

async function imports(projectCode: ProjectCode, python: string, root: string, folder: string | null): Promise<boolean> {
  const end = await projectCode.run({
    python,
    args: PROBE_ARGS,
    root,
    env: withPythonPath({ ...process.env }, folder),
    timeoutMs: PROBE_TIMEOUT_MS,
    label: `debugpy probe (${python})`,
  });
  return !end.error && end.code === 0 && !end.stopped;
}

/**
 * Where `python` finds debugpy: null (its own), or `bundled` (the Python Debugger extension's copy,
 * given by the client). Throws one sentence saying how to install it when neither has it.
 */
export async function findDebugpy(projectCode: ProjectCode, python: string, root: string, bundled: string | null): Promise<string | null> {
  if (await imports(projectCode, python, root, null)) return null;
  if (bundled && (await imports(projectCode, python, root, bundled))) return bundled;
  throw new DaemonError(
    DaemonErrorCode.NoDebugpy,
    `debugpy is not installed for ${python}: install it with \`${python} -m pip install debugpy\` (or install VS Code's Python Debugger extension, whose copy is then used), then debug the site again.`,
  );
}
