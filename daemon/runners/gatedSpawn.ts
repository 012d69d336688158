/**
 * Spawning a Python server that cannot outlive the daemon unrecorded. The
 * process journal names a server by its pid and start time, which exist only
 * once it is spawned; a daemon killed (SIGKILL) between the spawn and the
 * journal write would leave a server that no journal names and no recovery
 * stops. So the child starts as a gate: a few lines of the project's own
 * Python waiting for one line on stdin. Once the caller has recorded it, the
 * line is written and the gate becomes the server (exec: same pid, same start
 * time, the server's own command line). If the daemon dies first, its end of
 * the pipe closes, the gate reads end-of-file and exits before any project
 * code runs. The cost is one bare interpreter start (`-S`, about 20 ms).
 */
import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';

/** Run by the gate: `sys.argv[1:]` is the server's command line. execvp, as spawn, finds a bare `python3` on PATH. */
const GATE = [
  'import os, sys',
  'if sys.stdin.buffer.readline() != b"run\\n": sys.exit(1)',
  'os.dup2(os.open(os.devnull, os.O_RDONLY), 0)',
  'os.execvp(sys.argv[1], sys.argv[1:])',
].join('\n');

export interface GatedSpawn {
  python: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Records the child (its pid leads its own process group) before it may run; a throw here ends the gate. */
  record(pid: number): void;
}

/** Spawns `python args` in its own process group, stdout and stderr piped, released only once `record` returned. */
export function spawnGated(spec: GatedSpawn): ChildProcessByStdio<null, Readable, Readable> {
  // Windows has no exec that keeps the pid (nor process groups to journal): there the server starts at once.
  if (process.platform === 'win32') {
    const child = spawn(spec.python, spec.args, { cwd: spec.cwd, env: spec.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid !== undefined) spec.record(child.pid);
    return child;
  }
  const child = spawn(spec.python, ['-S', '-c', GATE, spec.python, ...spec.args], {
    cwd: spec.cwd,
    env: spec.env,
    detached: true, // own process group, killed as a whole
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  // A gate that is already gone (killed meanwhile) makes the write fail: its exit is reported, not this.
  child.stdin.on('error', () => undefined);
  if (child.pid !== undefined) {
    try {
      spec.record(child.pid);
    } catch (error) {
      child.stdin.destroy(); // end-of-file: the gate exits
      throw error;
    }
    child.stdin.end('run\n');
  }
  // stdin is the gate's only: the server reads /dev/null. The type says what callers may use.
  return child as unknown as ChildProcessByStdio<null, Readable, Readable>;
}
