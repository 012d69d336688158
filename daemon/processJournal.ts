/**
 * The daemon's record of the servers it started, written before it relies on
 * them, so a daemon that crashed can find and stop its orphans on next start.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { commandLineOf, groupAlive, killGroup } from './processGroup';

export interface JournalEntry {
  pgid: number;
  root: string;
  /** A string the process's command line must contain to still be ours (pids get reused). */
  marker: string;
}

export class ProcessJournal {
  constructor(private readonly file: string) {}

  private read(): JournalEntry[] {
    try {
      const parsed: unknown = JSON.parse(readFileSync(this.file, 'utf8'));
      return Array.isArray(parsed) ? (parsed as JournalEntry[]) : [];
    } catch {
      return [];
    }
  }

  private write(entries: JournalEntry[]): void {
    const temp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(entries, null, 2), { mode: 0o600 });
    renameSync(temp, this.file);
  }

  record(entry: JournalEntry): void {
    this.write([...this.read().filter((e) => e.pgid !== entry.pgid), entry]);
  }

  forget(pgid: number): void {
    this.write(this.read().filter((e) => e.pgid !== pgid));
  }

  /** Stops every recorded server that is still running and still ours; returns how many. */
  async reconcile(): Promise<JournalEntry[]> {
    const killed: JournalEntry[] = [];
    for (const entry of this.read()) {
      if (!groupAlive(entry.pgid)) continue;
      const commandLine = await commandLineOf(entry.pgid);
      if (commandLine === null || !commandLine.includes(entry.marker)) continue;
      await killGroup(entry.pgid);
      killed.push(entry);
    }
    this.write([]);
    return killed;
  }
}
