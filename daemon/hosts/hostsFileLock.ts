/**
 * The lock our daemons (one per home) take before changing a hosts file, named
 * for the file in the temp folder. It names its holder by pid and start time
 * (the daemon's own lock, daemonLock.ts), so a lock left by a daemon that was
 * killed in the middle of a write is taken over at once: with a lock that only
 * aged out after 15 s, the next daemon's start waited 10 s for it and then
 * failed to undo the killed daemon's entries.
 */
import { createHash } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import { DaemonLock } from '../../home/daemonLock';
import type { LockResult } from '../../home/daemonLock';
import { HostsFileError } from './hostsFileCheck';

const WAIT_MS = 10_000;
const POLL_MS = 25;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Takes the lock for `file`, waiting for a live holder; the result releases it (null: no lock could be had here, e.g. an unwritable temp folder). */
export async function lockHostsFile(file: string): Promise<(() => void) | null> {
  const name = `multisite-local-${process.getuid?.() ?? 'user'}-${createHash('sha256').update(file).digest('hex').slice(0, 16)}.hosts-lock`;
  const lock = new DaemonLock(path.join(os.tmpdir(), name));
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    let result: LockResult;
    try {
      result = lock.acquire();
    } catch {
      return null; // the change checks still guard the file
    }
    if (result.ok) return () => lock.release();
    if (Date.now() > deadline) {
      const holder = result.holder ? ` (pid ${result.holder.pid})` : '';
      throw new HostsFileError(`Another Django Multi-Site Local daemon${holder} has been updating ${file} for over 10 s; nothing was written, try again.`);
    }
    await sleep(POLL_MS);
  }
}
