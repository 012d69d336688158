/**
 * The discovery file tells clients how to reach the running daemon; the lock
 * file makes sure only one daemon runs per home directory.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { DaemonHome } from './daemonHome';
import { isAlive } from './processGroup';

export interface Discovery {
  port: number;
  token: string;
  pid: number;
  version: string;
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
  const temp = `${home.discoveryFile}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(discovery), { mode: 0o600 });
  renameSync(temp, home.discoveryFile);
}

/** Takes the single-instance lock; a lock left by a dead daemon is swept. Returns the holder's pid on failure. */
export function acquireLock(home: DaemonHome): { ok: true } | { ok: false; holder: number } {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(home.lockFile, String(process.pid), { flag: 'wx', mode: 0o600 });
      return { ok: true };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(home.lockFile, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) return { ok: false, holder };
      rmSync(home.lockFile, { force: true });
      if (readDiscovery(home)?.pid === holder) rmSync(home.discoveryFile, { force: true });
    }
  }
  return { ok: false, holder: 0 };
}

/** Removes our discovery and lock files (only if they are still ours). */
export function releaseDaemonFiles(home: DaemonHome): void {
  if (readDiscovery(home)?.pid === process.pid) rmSync(home.discoveryFile, { force: true });
  try {
    if (Number(readFileSync(home.lockFile, 'utf8').trim()) === process.pid) rmSync(home.lockFile, { force: true });
  } catch {
    // No lock: nothing to release.
  }
}
