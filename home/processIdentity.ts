/**
 * Who a pid is, beyond "kill(pid, 0) succeeds": pids are reused, and a dead
 * process whose parent has not reaped it (a zombie) still answers kill(0). A
 * process is identified by its pid plus its start time, which no later process
 * with the same pid can share; the daemon's lock and process journal record
 * both and trust a pid only when the start time still matches.
 *
 * Synchronous on purpose: it reads one small /proc file (Linux) or runs `ps`
 * once (elsewhere), and its callers (taking the lock, journaling a server right
 * after spawning it) must not interleave with other work.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Whether a process (pid > 0) or a process group (negative pgid) still exists. */
export function isAlive(target: number): boolean {
  try {
    process.kill(target, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface ProcessIdentity {
  pid: number;
  /** An opaque start time: equal for the same process, different for a later one with the same pid. '' when the OS cannot tell. */
  start: string;
  /** The command line, arguments joined by spaces ('' when unknown). */
  command: string;
}

let bootId: string | null = null;

/** Start times on Linux count clock ticks since boot: the boot id keeps them apart across reboots. */
function linuxBootId(): string {
  if (bootId === null) {
    try {
      bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    } catch {
      bootId = '';
    }
  }
  return bootId;
}

function linuxIdentity(pid: number): ProcessIdentity | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may itself contain spaces or ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  if (state === 'Z' || state === 'X') return null; // dead, only waiting to be reaped
  const startTicks = fields[19]; // field 22 of proc(5)
  let command = '';
  try {
    command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    // Gone since we read its stat: report what we have; the next look will say it is gone.
  }
  return { pid, start: `${linuxBootId()}:${startTicks}`, command };
}

/** macOS and the BSDs: `ps` prints the state, the start time (to the second) and the command. */
function psIdentity(pid: number): ProcessIdentity | null {
  let out: string;
  try {
    out = execFileSync('ps', ['-ww', '-o', 'stat=', '-o', 'lstart=', '-o', 'command=', '-p', String(pid)], {
      encoding: 'utf8',
      env: { ...process.env, LC_ALL: 'C' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch {
    return null; // ps exits 1 when there is no such process
  }
  // "S    Wed Nov 25 04:29:44 2026 node /path/daemon.js"
  const match = /^\s*(\S+)\s+(\S+\s+\S+\s+\d+\s+[\d:]+\s+\d+)\s?(.*)$/.exec(out.trim());
  if (!match) return isAlive(pid) ? { pid, start: '', command: '' } : null;
  if (match[1].startsWith('Z')) return null;
  return { pid, start: match[2].replace(/\s+/g, ' '), command: match[3].trim() };
}

/** The identity of a running process, or null when there is none (or only a zombie) with this pid. */
export function processIdentity(pid: number): ProcessIdentity | null {
  if (!Number.isInteger(pid) || pid <= 0) return null;
  if (process.platform === 'linux') return linuxIdentity(pid);
  if (process.platform === 'win32') return isAlive(pid) ? { pid, start: '', command: '' } : null;
  return psIdentity(pid);
}

/**
 * Whether `pid` still runs and is the process whose start time was recorded. A record
 * without a start time proves nothing (false); an OS that cannot tell start times (Windows)
 * falls back to "a process with this pid runs".
 */
export function isSameProcess(pid: number, start: string | null | undefined): boolean {
  const now = processIdentity(pid);
  if (!now) return false;
  if (!now.start) return true;
  return typeof start === 'string' && start === now.start;
}
