/**
 * The daemon's record of the servers it started, written before it relies on
 * them, so a daemon that crashed can find and stop its orphans on next start.
 */
import { JsonJournal } from './jsonJournal';
import { commandLineOf, groupAlive, killGroup } from './processGroup';

export interface JournalEntry {
  pgid: number;
  root: string;
  /** A string the process's command line must contain to still be ours (pids get reused). */
  marker: string;
}

export class ProcessJournal {
  private readonly journal: JsonJournal<JournalEntry>;

  constructor(file: string) {
    this.journal = new JsonJournal(file);
  }

  record(entry: JournalEntry): void {
    this.journal.put(entry, (a, b) => a.pgid === b.pgid);
  }

  forget(pgid: number): void {
    this.journal.remove((e) => e.pgid === pgid);
  }

  /** Stops every recorded server that is still running and still ours; returns how many. */
  async reconcile(): Promise<JournalEntry[]> {
    const killed: JournalEntry[] = [];
    for (const entry of this.journal.read()) {
      if (!groupAlive(entry.pgid)) continue;
      const commandLine = await commandLineOf(entry.pgid);
      if (commandLine === null || !commandLine.includes(entry.marker)) continue;
      await killGroup(entry.pgid);
      killed.push(entry);
    }
    this.journal.write([]);
    return killed;
  }
}
