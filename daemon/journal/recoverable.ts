/**
 * One shape for every record of changes to the outside world: server process
 * groups, hosts blocks, compose port edits, compose web services. Each is
 * journaled before the change is made, and `recover()` undoes everything its
 * journal still holds (on the next start after a crash, and on exit). One
 * record that cannot be undone never stops the others; what happened comes
 * back as sentences for the daemon's log.
 */
export interface Recovery {
  /** What was undone, one sentence each. */
  done: string[];
  /** What could not be undone, one sentence each. */
  failures: string[];
}

export interface Recoverable {
  recover(): Promise<Recovery>;
}

/**
 * Recovers every journal in order (servers first: hosts entries and compose
 * ports point at them) and logs what happened; a journal that throws is logged
 * and the next one still runs.
 */
export async function recoverAll(journals: readonly Recoverable[], log: (text: string) => void): Promise<void> {
  for (const journal of journals) {
    try {
      const { done, failures } = await journal.recover();
      for (const line of done) log(line);
      for (const line of failures) log(`could not undo: ${line}`);
    } catch (error) {
      log(`could not undo a journal: ${(error as Error).message}`);
    }
  }
}
