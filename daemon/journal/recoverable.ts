/**
 * One shape for every record of changes to the outside world: server process
 * groups, hosts blocks, compose port edits, compose web services. Each is
 * journaled before the change is made, and `recover()` undoes everything its
 * journal still holds (on the next start after a crash, and on exit). One
 * record that cannot be undone never stops the others; what happened comes
 * back as sentences for the daemon's log, and as changes counted and named for
 * people (recoveryReport.ts) after a crash.
 */
import type { RecoveredChange } from '../../protocol/protocol';

export interface Recovery {
  /** What was undone, one sentence each (for the log). */
  done: string[];
  /** What could not be undone, one sentence each. */
  failures: string[];
  /** What was undone, one entry per change (for the report clients show once). */
  undone: RecoveredChange[];
}

export interface Recoverable {
  recover(): Promise<Recovery>;
}

/**
 * Recovers every journal in order (servers first: hosts entries and compose
 * ports point at them) and logs what happened; a journal that throws is logged,
 * counted as a failure, and the next one still runs. Returns all of it together.
 */
export async function recoverAll(journals: readonly Recoverable[], log: (text: string) => void): Promise<Recovery> {
  const all: Recovery = { done: [], failures: [], undone: [] };
  for (const journal of journals) {
    try {
      const { done, failures, undone } = await journal.recover();
      for (const line of done) log(line);
      for (const line of failures) log(`could not undo: ${line}`);
      all.done.push(...done);
      all.failures.push(...failures);
      all.undone.push(...undone);
    } catch (error) {
      log(`could not undo a journal: ${(error as Error).message}`);
      all.failures.push(`A journal of the daemon could not be read or undone: ${(error as Error).message}`);
    }
  }
  return all;
}
