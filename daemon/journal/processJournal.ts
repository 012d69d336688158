/**
 * The daemon's record of the servers it started, and of every other run of
 * the project's code (runners/projectCode.ts), written before they may run
 * it, so a daemon that crashed can find and stop its orphans on next start.
 * A pgid alone proves nothing (pids are reused, and a user's own
 * `manage.py runserver` may get one), so each entry also records the group
 * leader's start time, and a group is killed only while that still matches.
 */
import { JsonJournal } from './jsonJournal';
import { commandLineOf, groupAlive, killGroup } from '../base/processGroup';
import { processIdentity } from '../../home/processIdentity';
import type { RecoveredChange } from '../../protocol/protocol';
import type { Recoverable, Recovery } from './recoverable';

export interface JournalEntry {
  pgid: number;
  root: string;
  /** A string the process's command line must contain to still be ours. */
  marker: string;
  /** What runs, when it is not a server: "the Sites table read" (absent for servers). */
  label?: string;
  /** The group leader's start time (processIdentity); absent in entries of daemons before 0.2. */
  start?: string;
}

export class ProcessJournal implements Recoverable {
  private readonly journal: JsonJournal<JournalEntry>;

  constructor(file: string) {
    this.journal = new JsonJournal(file);
  }

  /** Records a server's (or a run's) group; call right after spawning its leader (`pgid` = the leader's pid), while it surely runs, and before it may run project code (runners/gatedSpawn.ts). */
  record(entry: Omit<JournalEntry, 'start'>): void {
    const start = processIdentity(entry.pgid)?.start ?? '';
    this.journal.put({ ...entry, start }, (a, b) => a.pgid === b.pgid);
  }

  forget(pgid: number): void {
    this.journal.remove((e) => e.pgid === pgid);
  }

  /** Whether the live group `entry.pgid` is still the one we recorded. */
  private async stillOurs(entry: JournalEntry): Promise<boolean> {
    const leader = processIdentity(entry.pgid);
    if (!leader) {
      // The leader is gone but members remain: a pgid is never reused while its group has
      // members, so this is still the group we started (runserver's reloader child, say).
      return true;
    }
    // The leader runs: only the very process we started counts, not a later one with its pid.
    if (!entry.start || (leader.start && leader.start !== entry.start)) return false;
    const commandLine = leader.command || (await commandLineOf(entry.pgid));
    return commandLine !== null && commandLine.includes(entry.marker);
  }

  /** Stops every recorded server (and run) that is still running and still ours. */
  async recover(): Promise<Recovery> {
    const done: string[] = [];
    const undone: RecoveredChange[] = [];
    for (const entry of this.journal.read()) {
      if (!groupAlive(entry.pgid)) continue;
      if (!(await this.stillOurs(entry))) continue;
      await killGroup(entry.pgid);
      done.push(`stopped an orphaned ${entry.label ?? 'server'}: process group ${entry.pgid} (${entry.root})`);
      undone.push({ kind: entry.label ? 'run' : 'server', path: entry.root });
    }
    this.journal.write([]);
    return { done, failures: [], undone };
  }
}
