/**
 * The resident memory of a server's whole process tree: runserver's
 * autoreloader serves from a child process, so the leader's own figure would
 * miss most of it. Read from /proc (Linux), a few files per server rather
 * than a scan of every process; elsewhere the figure is unknown (null).
 */
import { readFile } from 'node:fs/promises';
import { descendants } from '../base/processGroup';

/** VmRSS of one process in bytes, or null when it is gone or not ours to read. */
async function residentBytes(pid: number): Promise<number | null> {
  const status = await readFile(`/proc/${pid}/status`, 'latin1').catch(() => '');
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
  return kb === undefined ? null : Number(kb) * 1024;
}

/** Sum of VmRSS over each leader in `leaders` and its descendants, in bytes; null for a leader that is gone. */
export async function groupMemory(leaders: readonly number[]): Promise<Map<number, number | null>> {
  const totals = new Map<number, number | null>(leaders.map((leader) => [leader, null]));
  if (process.platform !== 'linux') return totals;
  await Promise.all(
    leaders.map(async (leader) => {
      const figures = await Promise.all(descendants(leader).map(residentBytes));
      const known = figures.filter((bytes): bytes is number => bytes !== null);
      if (known.length > 0)
        totals.set(
          leader,
          known.reduce((sum, bytes) => sum + bytes, 0),
        );
    }),
  );
  return totals;
}
