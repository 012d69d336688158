/**
 * Where the daemon keeps its discovery file, lock, journal and log. Tests and
 * separate checkouts set MULTISITE_LOCAL_HOME so that they never meet.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { ensurePrivateDir } from './safeFile';

export function defaultHome(): string {
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(process.env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'multisite-local');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'multisite-local');
  return path.join(process.env.XDG_STATE_HOME ?? path.join(home, '.local', 'state'), 'multisite-local');
}

/** How the record of a hosts file written in place (daemon/hosts/inPlaceWrite.ts) is named in the home, while that write lasts. */
export const IN_PLACE_RECORD = '.in-place.json';

export class DaemonHome {
  readonly dir: string;
  constructor(dir = process.env.MULTISITE_LOCAL_HOME || defaultHome()) {
    this.dir = path.resolve(dir);
  }

  get discoveryFile(): string {
    return path.join(this.dir, 'daemon.json');
  }
  get lockFile(): string {
    return path.join(this.dir, 'daemon.lock');
  }
  /** The journals of outside changes (see daemon/journal/recoverable.ts), one file each. */
  get processJournal(): string {
    return path.join(this.dir, 'processes.json');
  }
  get hostsJournal(): string {
    return path.join(this.dir, 'hosts-journal.json');
  }
  get composeEditsJournal(): string {
    return path.join(this.dir, 'compose-journal.json');
  }
  get composeRunsJournal(): string {
    return path.join(this.dir, 'compose-runs.json');
  }
  /** Every journal above: empty once a daemon has exited normally (it undoes what they hold first). */
  get journals(): string[] {
    return [this.processJournal, this.hostsJournal, this.composeEditsJournal, this.composeRunsJournal];
  }
  get logFile(): string {
    return path.join(this.dir, 'daemon.log');
  }

  /**
   * Creates the directory readable by its owner only (it holds the token), or
   * refuses one that is a link, another user's, or writable by others (see safeFile.ts).
   */
  ensure(): void {
    ensurePrivateDir(this.dir, `The daemon's home ${this.dir}`);
  }
}
