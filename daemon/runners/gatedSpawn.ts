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
 *
 * For `runserver` the gate does not exec: it is the autoreloader's parent
 * itself (`reloader`). Django's own parent imports the settings and every app
 * (django.setup) only to start the real server as a child with
 * RUN_MAIN=true and start it again whenever that child exits with code 3 (a
 * watched file changed); that setup was nearly half of a server's start and a
 * third of its memory. The gate keeps Django's contract (the same child, the
 * same environment variable, the same exit code, the child's own exit code
 * passed on) at the cost of a bare interpreter. The child stays in the group.
 */
import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';

/** The gate's first lines: wait for the daemon's word, then give the server /dev/null as stdin. */
const RELEASE = ['import os, sys', 'if sys.stdin.buffer.readline() != b"run\\n": sys.exit(1)', 'os.dup2(os.open(os.devnull, os.O_RDONLY), 0)'];

/** Run by the gate: `sys.argv[1:]` is the server's command line. execvp, as spawn, finds a bare `python3` on PATH. */
const GATE = [...RELEASE, 'os.execvp(sys.argv[1], sys.argv[1:])'].join('\n');

/**
 * The gate as runserver's autoreloader parent (django.utils.autoreload.restart_with_reloader): the
 * command runs as a child with RUN_MAIN=true, again each time it exits with code 3; any other end
 * is the gate's own (a signal as 128 + its number, as a shell reports it). A SIGTERM, which the
 * daemon sends to the whole group, leaves the gate waiting for the child's own end: had the gate
 * gone first, the group's second SIGTERM (its leader gone) would reach the child mid-shutdown and
 * print a traceback. The child drops that handler before exec: a SIGTERM between fork and exec
 * ends it as it would end the server.
 * Python 3.6+ (os and signal only).
 */
const RELOADER_GATE = [
  ...RELEASE,
  'import signal',
  'signal.signal(signal.SIGTERM, lambda *args: None)',
  'env = dict(os.environ, RUN_MAIN="true")',
  'while True:',
  '    pid = os.fork()',
  '    if pid == 0:',
  '        signal.signal(signal.SIGTERM, signal.SIG_DFL)',
  '        try:',
  '            os.execvpe(sys.argv[1], sys.argv[1:], env)',
  '        except BaseException as error:',
  '            sys.stderr.write("%s: %s\\n" % (sys.argv[1], error))',
  '        os._exit(127)',
  '    status = os.waitpid(pid, 0)[1]',
  '    code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status)',
  '    if code != 3: sys.exit(code)',
].join('\n');

export interface GatedSpawn {
  python: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Records the child (its pid leads its own process group) before it may run; a throw here ends the gate. */
  record(pid: number): void;
  /** The gate stays as runserver's autoreloader parent instead of becoming the command (see above). */
  reloader?: boolean;
}

/** Spawns `python args` in its own process group, stdout and stderr piped, released only once `record` returned. */
export function spawnGated(spec: GatedSpawn): ChildProcessByStdio<null, Readable, Readable> {
  // Windows has no exec that keeps the pid (nor process groups to journal): there the server starts at once.
  if (process.platform === 'win32') {
    const child = spawn(spec.python, spec.args, { cwd: spec.cwd, env: spec.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    child.on('error', () => undefined); // as below
    if (child.pid !== undefined) spec.record(child.pid);
    return child;
  }
  const child = spawn(spec.python, ['-S', '-c', spec.reloader ? RELOADER_GATE : GATE, spec.python, ...spec.args], {
    cwd: spec.cwd,
    env: spec.env,
    detached: true, // own process group, killed as a whole
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  // A gate that is already gone (killed meanwhile) makes the write fail: its exit is reported, not this.
  child.stdin.on('error', () => undefined);
  // A spawn that failed (no such interpreter) has no pid, which the caller reports; unheard, the event would end the daemon.
  child.on('error', () => undefined);
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
