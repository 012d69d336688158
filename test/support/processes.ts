/** Looking at the machine's processes from tests (Linux /proc): which daemons run for a home. */
import { readFileSync, readdirSync } from 'node:fs';
import { processIdentity } from '../../daemon/protocol/processIdentity';

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

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitFor(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}
