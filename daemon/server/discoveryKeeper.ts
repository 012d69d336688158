/**
 * Keeps the running daemon findable. Its discovery file and lock are plain
 * files in a folder the user owns: deleted by hand or by a cleanup script, the
 * daemon would keep running (and serving) while every client reported "not
 * running" and a second daemon could start. So the daemon watches its home and
 * writes them again when they disappear; a slow poll covers file systems where
 * watching does not work (and a deleted home folder, which ends the watch).
 */
import { existsSync, watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import type { DaemonHome } from '../../home/daemonHome';
import type { DaemonLock } from '../../home/daemonLock';
import { removeOwnDiscovery, writeDiscovery } from '../../home/discovery';
import type { Discovery } from '../../home/discovery';

const POLL_MS = 2000;

export class DiscoveryKeeper {
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  private warnedLost = false;
  /** The last failure logged: one that repeats every poll (an unusable home) is logged once. */
  private lastFailure = '';

  constructor(
    private readonly home: DaemonHome,
    private readonly lock: DaemonLock,
    private readonly discovery: Discovery,
    private readonly log: (text: string) => void,
  ) {}

  /** Writes the discovery file and keeps it (and the lock) in place until `stop()`. */
  start(): void {
    writeDiscovery(this.home, this.discovery);
    this.watch();
    this.timer = setInterval(() => this.check(), POLL_MS);
    this.timer.unref();
  }

  private watch(): void {
    try {
      this.watcher = watch(this.home.dir, { persistent: false }, (_event, name) => {
        if (name === null || name === 'daemon.json' || name === 'daemon.lock') this.check();
      });
      this.watcher.on('error', () => {
        this.watcher?.close();
        this.watcher = null; // the poll takes over (and watches again once the folder is back)
      });
    } catch {
      this.watcher = null;
    }
  }

  private check(): void {
    try {
      // Created again if deleted, and checked again: nothing is written into a home made unsafe since the start.
      this.home.ensure();
      if (!this.watcher) this.watch();
      if (!this.lock.reassert()) {
        if (!this.warnedLost) this.log('another process took the lock file; this daemon keeps serving what it serves until it exits');
        this.warnedLost = true;
        return; // do not advertise over the daemon that holds the lock now
      }
      // Only a missing file is ours to restore: one being rewritten reads as unparsable for a moment.
      if (!existsSync(this.home.discoveryFile)) {
        writeDiscovery(this.home, this.discovery);
        this.log('wrote the discovery file again (it had been removed)');
      }
      this.lastFailure = '';
    } catch (error) {
      const failure = `could not restore the discovery file: ${(error as Error).message}`;
      if (failure !== this.lastFailure) this.log(failure);
      this.lastFailure = failure;
    }
  }

  /** Stops watching and removes the files that are still ours. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.watcher?.close();
    this.watcher = null;
    removeOwnDiscovery(this.home);
    this.lock.release();
  }
}
