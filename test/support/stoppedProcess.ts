/**
 * Processes stopped at a step by the MULTISITE_LOCAL_STOP_AT debug knob
 * (daemon/base/debugStop.ts): waiting until one has stopped itself, and letting it
 * go on. Linux (/proc).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { waitFor } from './processes';

/** Whether `pid` is stopped by a signal (state T). */
export function isStopped(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('T');
  } catch {
    return false;
  }
}

export function waitStopped(pid: number, what: string, timeoutMs = 30_000): Promise<void> {
  return waitFor(`${what} (pid ${pid} stopping itself)`, () => isStopped(pid), timeoutMs);
}

export function resume(pid: number): void {
  process.kill(pid, 'SIGCONT');
}

/** The steps the daemon of `home` said it stopped at, in order (its log; see daemon/base/debugStop.ts). */
export function stopsOf(home: string): string[] {
  let log: string;
  try {
    log = readFileSync(path.join(home, 'daemon.log'), 'utf8');
  } catch {
    return [];
  }
  return [...log.matchAll(/ stopped at (\S+) \(MULTISITE_LOCAL_STOP_AT\)$/gm)].map((m) => m[1]);
}
