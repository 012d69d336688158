/**
 * The sandbox's daemon started in a private mount namespace (unshare -m, as
 * root): `setup` is a shell script that mounts what the test needs (a bind
 * mount over the hosts file, a small tmpfs, a read-only mount), with the paths
 * it is given as "$1", "$2"... (never spliced into the script), then the daemon
 * is exec'd there, as the CLI would start it. Nothing outside the namespace
 * sees those mounts; the test reads a file as the daemon sees it through
 * /proc/<pid>/root. The CLI reaches the daemon as usual (same network).
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import type { DaemonSandbox } from './daemonSandbox';
import { REPO_ROOT } from './demoProject';
import { waitFor } from './processes';

export async function startDaemonInNamespace(sandbox: DaemonSandbox, setup: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<number> {
  const script = `set -e\n${setup}\nexec "$MSL_NODE" --max-semi-space-size=1 --lite-mode "$MSL_DAEMON"`;
  const child = spawn('unshare', ['-m', 'sh', '-c', script, 'sh', ...args], {
    env: { ...process.env, ...sandbox.env, ...env, MSL_NODE: process.execPath, MSL_DAEMON: path.join(REPO_ROOT, 'dist', 'daemon.js') },
    detached: true,
    stdio: 'ignore',
  });
  child.unref();
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  let code: number | null | undefined;
  void exited.then((c) => (code = c));
  await waitFor('the daemon in its mount namespace', () => {
    if (code !== undefined) throw new Error(`the namespace setup or the daemon exited (${code})`);
    return sandbox.daemonPid() === child.pid;
  });
  return child.pid as number;
}

/** `file` as the process `pid` sees it in its own mount namespace. */
export const seenBy = (pid: number, file: string): string => path.join(`/proc/${pid}/root`, file);
