/**
 * The discovery file tells clients how to reach the running daemon and which
 * version it speaks; the lock file (daemonLock.ts) makes sure only one daemon
 * runs per home directory.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import type { DaemonHome } from './daemonHome';
import { isSameProcess, processIdentity } from './processIdentity';
import { readPrivateFile, writeFileAtomic } from './safeFile';

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

/** What to do about a discovery file that is refused: its token may be known to, or chosen by, someone else. */
const REFUSED_ADVICE = 'delete it and end the daemon that wrote it; the next daemon writes a private one with a new token.';

/**
 * The running daemon's address and token, or null when there is none (or it is
 * unreadable: being rewritten, or from a crashed daemon). Throws a sentence
 * (UnsafePathError) for a file that is a link, another user's, or readable by others.
 */
export function readDiscovery(home: DaemonHome): Discovery | null {
  const text = readPrivateFile(home.discoveryFile, `The discovery file ${home.discoveryFile}`, REFUSED_ADVICE);
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as Partial<Discovery>;
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

/** Removes the discovery file if it still names this process (a refused one names nobody we know). */
export function removeOwnDiscovery(home: DaemonHome): void {
  try {
    if (readDiscovery(home)?.pid === process.pid) rmSync(home.discoveryFile, { force: true });
  } catch {
    // Not ours to remove.
  }
}
