/**
 * The daemon's hosts entries across projects and hosts files. What is applied
 * is journaled before the file is written, so cleanup (on request, on exit, or
 * on the next start after a crash) knows every block to take out.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { DaemonError } from './daemonError';
import { BadHostName, applyBlock, blockId, foreignEntries, listBlocks, removeAllBlocks, removeBlock } from './hostsBlock';
import { ElevationError } from './elevatedCopy';
import { HostsFile, HostsPermissionError } from './hostsFile';
import { JsonJournal } from './jsonJournal';
import type { HostsChange } from './hostsFile';
import { DaemonErrorCode } from './protocol';
import { asClause, endSentence } from './sentence';

interface Applied {
  file: string;
  root: string;
}

export interface ApplyResult extends HostsChange {
  /** The user's own lines for the same names: left alone, reported. */
  foreign: { line: number; name: string; text: string }[];
}

export class HostsEntries {
  private readonly files = new Map<string, HostsFile>();
  private readonly journal: JsonJournal<Applied>;

  constructor(private readonly home: string) {
    this.journal = new JsonJournal(path.join(home, 'hosts-journal.json'));
  }

  private hostsFile(file: string): HostsFile {
    let hosts = this.files.get(file);
    if (!hosts) {
      const backup = path.join(this.home, `hosts-backup-${createHash('sha256').update(file).digest('hex').slice(0, 8)}`);
      hosts = new HostsFile(file, backup);
      this.files.set(file, hosts);
    }
    return hosts;
  }

  private async guarded<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof BadHostName) throw new DaemonError(DaemonErrorCode.BadRequest, endSentence(`Nothing was written: ${error.message}`));
      if (error instanceof ElevationError) throw new DaemonError(DaemonErrorCode.HostsNotWritable, `${asClause(error.message)}; the hosts file is unchanged.`);
      if (error instanceof HostsPermissionError) {
        throw new DaemonError(DaemonErrorCode.HostsNotWritable, `${asClause(error.message)}, so nothing was changed; choose another hosts file (--hosts-file or the multisiteLocal.hostsFile setting).`);
      }
      throw error;
    }
  }

  /** Points `names` at this machine in `file` for the project at `root`. */
  apply(file: string, root: string, names: string[], dryRun = false): Promise<ApplyResult> {
    return this.guarded(async () => {
      const block = { id: blockId(root), root, names };
      applyBlock('', block); // validate every name before anything is journaled or written
      if (!dryRun) this.journal.put({ file, root }, (a, b) => a.file === b.file && a.root === b.root);
      const change = await this.hostsFile(file).update((text) => applyBlock(text, block), dryRun);
      return { ...change, foreign: foreignEntries(change.after, names) };
    });
  }

  /** Takes the project's block out of `file`. */
  remove(file: string, root: string, dryRun = false): Promise<HostsChange> {
    return this.guarded(async () => {
      const change = await this.hostsFile(file).update((text) => removeBlock(text, blockId(root)), dryRun);
      if (!dryRun) this.journal.remove((e) => e.file === file && e.root === root);
      return change;
    });
  }

  /** The blocks in `file` (ours, for every project). */
  async show(file: string): Promise<{ id: string; root: string; names: string[] }[]> {
    return listBlocks(await this.hostsFile(file).read());
  }

  /** Removes every block this product wrote from `extra` and from every journaled file. */
  cleanup(extra: string[] = [], dryRun = false): Promise<HostsChange[]> {
    return this.guarded(async () => {
      const files = [...new Set([...extra, ...this.journal.read().map((e) => e.file)])];
      const changes: HostsChange[] = [];
      for (const file of files) changes.push(await this.hostsFile(file).update(removeAllBlocks, dryRun));
      if (!dryRun) this.journal.remove((e) => files.includes(e.file));
      return changes;
    });
  }
}
