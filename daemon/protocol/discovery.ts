/**
 * The discovery file tells clients how to reach the running daemon and which
 * version it speaks; the lock file (daemonLock.ts) makes sure only one daemon
 * runs per home directory.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import type { DaemonHome } from './daemonHome';
import { isSameProcess, processIdentity } from './processIdentity';
import { writeFileAtomic } from './atomicFile';

export interface Discovery {
  port: number;
  token: string;
  pid: number;
  /** The daemon's start time (processIdentity): a reused pid is not the daemon. Absent before 0.2. */
  start?: string;
  /** The product version. */
  version: string;
  /** PROTOCOL_VERSION of the daemon; absent in daemons that predate the field. */
  protocol?: number;
}

export function newToken(): string {
  return randomBytes(32).toString('hex');
}

export function readDiscovery(home: DaemonHome): Discovery | null {
  try {
    const value = JSON.parse(readFileSync(home.discoveryFile, 'utf8')) as Partial<Discovery>;
    if (typeof value.port !== 'number' || typeof value.token !== 'string' || typeof value.pid !== 'number') return null;
    return value as Discovery;
  } catch {
    return null;
  }
}

export function writeDiscovery(home: DaemonHome, discovery: Discovery): void {
  writeFileAtomic(home.discoveryFile, JSON.stringify(discovery));
}

/** Whether the discovery file names a daemon that still runs (not a dead one's reused pid, nor a zombie). */
export function discoveredRuns(discovery: Discovery): boolean {
  if (discovery.start) return isSameProcess(discovery.pid, discovery.start);
  return processIdentity(discovery.pid) !== null; // daemons before 0.2 record no start time
}

/** Removes the discovery file if it still names this process. */
export function removeOwnDiscovery(home: DaemonHome): void {
  if (readDiscovery(home)?.pid === process.pid) rmSync(home.discoveryFile, { force: true });
}
