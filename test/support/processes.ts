/** Looking at the machine's processes from tests (Linux /proc): which daemons run for a home. */
import { readFileSync, readdirSync } from 'node:fs';
import { JsonJournal } from '../../daemon/journal/jsonJournal';
import type { JournalEntry } from '../../daemon/journal/processJournal';
import { DaemonHome } from '../../home/daemonHome';
import { isAlive, processIdentity } from '../../home/processIdentity';

/** Pids of live daemon processes (dist/daemon.js) whose MULTISITE_LOCAL_HOME is `home`. */
export function daemonsOf(home: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    try {
      if (!processIdentity(pid)?.command.includes('daemon.js')) continue;
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      if (environ.includes(`MULTISITE_LOCAL_HOME=${home}`)) pids.push(pid);
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return pids;
}

/** The process journal of the daemon of `home`: every server and run of project code it started and has not seen end. */
export function journaled(home: string): JournalEntry[] {
  return new JsonJournal<JournalEntry>(new DaemonHome(home).processJournal).read();
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Stops, by pid, every daemon a test let start for `home` (SIGTERM, then SIGKILL after 5 s). */
export async function stopDaemonsOf(home: string): Promise<void> {
  for (const pid of daemonsOf(home)) {
    process.kill(pid, 'SIGTERM');
    for (let n = 0; n < 100 && isAlive(pid); n++) await sleep(50);
    if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  }
}

export async function waitFor(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}
