/**
 * The compose web services the daemon started, journaled so that the next
 * daemon (after a crash) or this one (on exit) stops them with compose's own
 * command, and the override and moved compose files it wrote are removed.
 */
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { JsonJournal } from '../journal/jsonJournal';
import type { Recoverable, Recovery } from '../journal/recoverable';
import type { RecoveredChange } from '../../protocol/protocol';
import { DaemonHome } from '../../home/daemonHome';
import { run } from './composeCli';

export interface ComposeRun {
  root: string;
  composeFile: string;
  service: string;
  cli: string[];
}

/** Web services the daemon started, so the next daemon can stop them after a crash. */
export class ComposeRuns implements Recoverable {
  private readonly journal: JsonJournal<ComposeRun>;

  constructor(private readonly home: string) {
    this.journal = new JsonJournal(new DaemonHome(home).composeRunsJournal);
  }

  /** Where the daemon writes its override files and moved compose files. */
  get filesDir(): string {
    return path.join(this.home, 'compose');
  }

  record(run: ComposeRun): void {
    this.journal.put(run, (a, b) => a.root === b.root);
  }

  forget(root: string): void {
    this.journal.remove((e) => e.root === root);
  }

  /** Stops, with compose's own command, every web service still journaled (a previous daemon's, or ours on exit). */
  async recover(): Promise<Recovery> {
    const done: string[] = [];
    const failures: string[] = [];
    const undone: RecoveredChange[] = [];
    for (const r of this.journal.read()) {
      const stopped = await run(r.cli[0], [...r.cli.slice(1), '-f', r.composeFile, 'stop', r.service], r.root);
      if (stopped.ok) {
        done.push(`stopped the compose web service left running in ${r.root}`);
        undone.push({ kind: 'composeService', path: r.root });
      } else failures.push(`the compose web service in ${r.root} did not stop`);
    }
    this.journal.write([]);
    // The override and moved compose files are named for a daemon's pid: once recovered, they are nobody's.
    rmSync(this.filesDir, { recursive: true, force: true });
    return { done, failures, undone };
  }
}
