/**
 * The resident memory of a whole process group: runserver's autoreloader
 * serves from a child process, so the leader's own figure would miss most
 * of it. Read from /proc (Linux); elsewhere the figure is unknown (null).
 */
import { readFile, readdir } from 'node:fs/promises';

/** Sum of VmRSS over the processes of each group in `pgids`, in bytes; null for a group with no process left. */
export async function groupMemory(pgids: readonly number[]): Promise<Map<number, number | null>> {
  const totals = new Map<number, number | null>(pgids.map((pgid) => [pgid, null]));
  if (process.platform !== 'linux' || pgids.length === 0) return totals;
  const pids = (await readdir('/proc').catch(() => [])).filter((name) => /^\d+$/.test(name));
  await Promise.all(
    pids.map(async (pid) => {
      const stat = await readFile(`/proc/${pid}/stat`, 'latin1').catch(() => null);
      // Fields after the command name (which may hold spaces and parentheses): state, ppid, pgrp, ...
      const fields = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
      const pgrp = Number(fields?.[2]);
      if (!totals.has(pgrp)) return;
      const status = await readFile(`/proc/${pid}/status`, 'latin1').catch(() => '');
      const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
      if (kb !== undefined) totals.set(pgrp, (totals.get(pgrp) ?? 0) + Number(kb) * 1024);
    }),
  );
  return totals;
}
