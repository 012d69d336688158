/**
 * Servers run in their own process group so that stopping one also stops
 * what it spawned (runserver's autoreloader runs the real server as a child).
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { isAlive } from '../../home/processIdentity';
import { procList, procText } from './procFiles';

export function groupAlive(pgid: number): boolean {
  return isAlive(-pgid);
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // Already gone.
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** SIGTERM to the whole group, then SIGKILL to whatever is left after `graceMs`. */
export async function killGroup(pgid: number, graceMs = 5000): Promise<void> {
  signalGroup(pgid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  // Most groups are gone within milliseconds of SIGTERM, and a restart per switch waits for this: look soon, then less often.
  for (let wait = 5; groupAlive(pgid); wait = Math.min(50, wait * 2)) {
    if (Date.now() > deadline) {
      signalGroup(pgid, 'SIGKILL');
      await sleep(100);
      if (!groupAlive(pgid)) return;
    }
    await sleep(wait);
  }
}

/** The command line of a live process, or null; used to recognise our own orphans. */
export async function commandLineOf(pid: number): Promise<string | null> {
  if (process.platform === 'linux') {
    try {
      return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').join(' ').trim();
    } catch {
      return null;
    }
  }
  return new Promise((resolve) => {
    execFile('ps', ['-o', 'command=', '-p', String(pid)], (error, stdout) => resolve(error ? null : stdout.trim() || null));
  });
}

/**
 * A group leader and its descendants, through /proc/PID/task/TID/children (Linux; a few reads, not
 * a scan of /proc; procFiles.ts says why synchronously).
 */
export function descendants(leader: number): number[] {
  const found: number[] = [];
  const queue = [leader];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    found.push(pid);
    for (const tid of procList(`/proc/${pid}/task`)) {
      for (const child of procText(`/proc/${pid}/task/${tid}/children`).split(' ')) if (/^\d+$/.test(child)) queue.push(Number(child));
    }
  }
  return found;
}
