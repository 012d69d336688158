/**
 * The daemon's hosts entries across projects and hosts files. A block is
 * journaled (file, project, block id) after its path was checked and before
 * the file is written, so that recovery (on exit, or on the next start after a
 * crash) takes out exactly the blocks this daemon wrote, and no other
 * daemon's. One record that cannot be undone never stops the others.
 */
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { DaemonError } from '../base/daemonError';
import { ElevationError } from './elevatedCopy';
import type { FileChange } from '../base/fileChange';
import {
  BadHostName,
  DamagedBlock,
  applyBlock,
  damageSentence,
  blockId,
  checkBlock,
  foreignLinesInBlock,
  listBlocks,
  removeBlock,
  removeBlocks,
} from './hostsBlock';
import { foreignEntries } from './foreignEntries';
import type { Damage, HostsBlock, ListedBlock } from './hostsBlock';
import { HostsFile, fromBytes } from './hostsFile';
import { HostsPermissionError } from './writeErrors';
import type { HostsFileChange } from './hostsFile';
import { HostsFileError, NotAHostsFile, checkHostsFile } from './hostsFileCheck';
import { JsonJournal } from '../journal/jsonJournal';
import { DaemonErrorCode } from '../../protocol/protocol';
import type { RecoveredChange } from '../../protocol/protocol';
import { asClause, endSentence } from '../base/sentence';
import type { Recoverable, Recovery } from '../journal/recoverable';
import { DaemonHome } from '../../home/daemonHome';
import { nextTurn } from '../base/eventLoop';
import { reached } from '../base/debugStop';
import { finishInPlaceWrites } from './inPlaceWrite';

interface Applied {
  /** The hosts file written. */
  file: string;
  root: string;
  /** Absent in records of versions before block ids named the daemon: then the id of the root alone. */
  id?: string;
}

/** A hosts file as the doctor sees it: our blocks with their lines, and the user's own lines for our names. */
export interface HostsSurvey {
  /** The hosts file read. */
  file: string;
  /** False when there is no such file (hosts mode would refuse to create it). */
  exists: boolean;
  blocks: ListedBlock[];
  foreign: { line: number; name: string; text: string }[];
}

export interface HostsResult extends FileChange {
  /** One sentence each: the user's own lines for the same names, lines kept out of our block. */
  notes: string[];
}

/** What `apply` did, with the names the project's block held before it (null: there was none), so that it can be undone. */
export interface AppliedHosts extends HostsResult {
  previous: string[] | null;
}

/** What `cleanup` did: the change to each file, and what could not be cleaned, one sentence each. */
export interface Cleanup {
  changes: HostsFileChange[];
  failures: string[];
}

const NAMES_PER_CHECK = 500;

const legacyId = (root: string): string => createHash('sha256').update(root).digest('hex').slice(0, 8);
const idOf = (entry: Applied): string => entry.id ?? legacyId(entry.root);

/** What to do about a hosts file we cannot use, for the end of a sentence. */
const CHOOSE_ANOTHER = 'choose another hosts file (--hosts-file or the multisiteLocal.hostsFile setting)';
/** What to do about a missing hosts file, for the end of a sentence. */
export const CREATE_OR_CHOOSE = `create it (an empty file will do) or ${CHOOSE_ANOTHER}`;

function asDaemonError(error: unknown): unknown {
  if (error instanceof BadHostName) return new DaemonError(DaemonErrorCode.BadRequest, endSentence(`Nothing was written: ${error.message}`));
  if (error instanceof HostsFileError) return new DaemonError(DaemonErrorCode.BadRequest, endSentence(error.message));
  if (error instanceof ElevationError) return new DaemonError(DaemonErrorCode.HostsNotWritable, `${asClause(error.message)}; the hosts file is unchanged.`);
  if (error instanceof HostsPermissionError) {
    return new DaemonError(DaemonErrorCode.HostsNotWritable, `${asClause(error.message)}, so nothing was changed; ${CHOOSE_ANOTHER}.`);
  }
  return error;
}

/** Runs a block transformation on `file`'s text; a damaged marker becomes one sentence naming the file and the line. */
function named<T>(file: string, transform: () => T): T {
  try {
    return transform();
  } catch (error) {
    if (error instanceof DamagedBlock) throw new DaemonError(DaemonErrorCode.BadRequest, damageSentence(file, error.damage));
    throw error;
  }
}

/**
 * The text of a hosts file we are about to add entries to. A missing one is
 * refused, not created: every system has one, so its absence means a wrong
 * path or a broken system, and creating it would hide either.
 */
function present(file: string, text: string | null): string {
  if (text === null) throw new HostsFileError(`The hosts file ${file} does not exist, so nothing was written; ${CREATE_OR_CHOOSE}.`);
  return text;
}

function keptLinesNote(file: string, lines: string[]): string[] {
  if (lines.length === 0) return [];
  const shown = lines.map((l) => JSON.stringify(fromBytes(l))).join(', ');
  return [
    `${file}: ${lines.length === 1 ? 'a line' : `${lines.length} lines`} someone added inside our block (${shown}) ${lines.length === 1 ? 'was' : 'were'} kept, just outside it.`,
  ];
}

export class HostsEntries implements Recoverable {
  private readonly files = new Map<string, HostsFile>();
  private readonly journal: JsonJournal<Applied>;

  constructor(private readonly home: string) {
    this.journal = new JsonJournal(new DaemonHome(home).hostsJournal);
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
      throw asDaemonError(error);
    }
  }

  private recorded(file: string, id: string): Applied | undefined {
    return this.journal.read().find((e) => e.file === file && idOf(e) === id);
  }

  /** Points `names` at this machine in `file` (an absolute path) for the project at `root`. */
  apply(file: string, root: string, names: string[], dryRun = false): Promise<AppliedHosts> {
    return this.guarded(async () => {
      const block: HostsBlock = { id: blockId(this.home, root), root, names };
      if (!dryRun) reached('hosts:requested');
      // Every name, before anything is journaled or written; in parts, with turns of the event
      // loop before each (5,000 names took a third of a second in the daemon).
      for (let from = 0; from < names.length; from += NAMES_PER_CHECK) {
        await nextTurn();
        checkBlock({ ...block, names: names.slice(from, from + NAMES_PER_CHECK) });
      }
      checkBlock(block); // names once checked are not checked again
      await checkHostsFile(file);
      const already = this.recorded(file, block.id);
      const same = (e: Applied): boolean => e.file === file && idOf(e) === block.id;
      if (!dryRun && !already) this.journal.put({ file, root, id: block.id }, same);
      if (!dryRun) reached('hosts:journaled');
      let change: HostsFileChange;
      try {
        change = await this.hostsFile(file).update((text) => named(file, () => applyBlock(present(file, text), block)), dryRun);
      } catch (error) {
        if (!dryRun && !already) this.journal.remove(same); // nothing was written: nothing to undo
        throw error;
      }
      if (!dryRun) reached('hosts:updated');
      await nextTurn(); // the notes read the whole file again: let other clients in first
      // On the bytes (our names are ASCII); only the lines quoted to people are decoded.
      const foreign = (await foreignEntries(change.bytes.after ?? '', names)).map(
        (f) => `${file} line ${f.line} already maps ${f.name} ("${fromBytes(f.text).trim()}"); that line was left as it is and may win.`,
      );
      await nextTurn();
      const previous = listBlocks(change.bytes.before).find((b) => b.id === block.id)?.names ?? null;
      return { ...change, previous, notes: [...foreign, ...keptLinesNote(file, foreignLinesInBlock(change.bytes.before ?? '', block.id))] };
    });
  }

  /** Takes the project's block out of `file`. */
  remove(file: string, root: string, dryRun = false): Promise<HostsResult> {
    return this.guarded(async () => {
      if (!dryRun) reached('hosts:requested');
      await nextTurn();
      await checkHostsFile(file);
      const id = blockId(this.home, root);
      const entry = this.recorded(file, id);
      if (!dryRun) reached('hosts:journaled'); // the record is still there until the block is out
      const change = await this.hostsFile(file).update((text) => named(file, () => removeBlock(text, id)), dryRun);
      if (!dryRun && entry) this.journal.remove((e) => e.file === file && idOf(e) === id);
      if (!dryRun) reached('hosts:updated');
      await nextTurn();
      return { ...change, notes: keptLinesNote(file, foreignLinesInBlock(change.bytes.before ?? '', id)) };
    });
  }

  /** The blocks in `file` (ours, for every project and every daemon). */
  async show(file: string): Promise<ListedBlock[]> {
    return (await this.survey(file, [])).blocks;
  }

  /**
   * What `file` holds for us, from one read: our blocks (every project, every daemon) and the
   * user's own lines, outside them, for any of `names` (they may win over our entries or clash).
   */
  async survey(file: string, names: readonly string[]): Promise<HostsSurvey> {
    return this.guarded(async () => {
      await checkHostsFile(file);
      const text = await this.hostsFile(file).read();
      const foreign = (await foreignEntries(text ?? '', names)).map((f) => ({ line: f.line, name: f.name, text: fromBytes(f.text).trim() }));
      return { file, exists: text !== null, blocks: listBlocks(text), foreign };
    });
  }

  /**
   * Removes from each file the blocks `which` picks (ids; null: every block of
   * ours), file by file: a file that fails is reported and the others are still
   * cleaned. A block whose markers are damaged is left whole, reported, and its
   * record kept. Records of a path that can never be a hosts file (a folder, a
   * device, a missing folder) are dropped; any other failure keeps them, to be
   * tried again.
   */
  private async removeFromFiles(files: Iterable<string>, which: (file: string) => ReadonlySet<string> | null, dryRun: boolean): Promise<Cleanup> {
    const result: Cleanup = { changes: [], failures: [] };
    for (const file of new Set(files)) {
      try {
        await checkHostsFile(file);
        let damaged: Damage[] = [];
        const change = await this.hostsFile(file).update((text) => {
          const removal = removeBlocks(text, which(file));
          damaged = removal.damaged;
          return removal.text;
        }, dryRun);
        result.changes.push(change);
        result.failures.push(...damaged.map((d) => damageSentence(file, d)));
        const kept = new Set(damaged.map((d) => d.marker.id));
        if (!dryRun) this.journal.remove((e) => e.file === file && !kept.has(idOf(e)));
      } catch (error) {
        const reason = asDaemonError(error);
        result.failures.push(reason instanceof Error ? reason.message : String(reason));
        if (!dryRun && error instanceof NotAHostsFile) this.journal.remove((e) => e.file === file);
      }
    }
    return result;
  }

  /** `cleanup`: every block of ours (any project, any daemon) out of `extra` and every file we wrote. */
  cleanup(extra: string[] = [], dryRun = false): Promise<Cleanup> {
    return this.removeFromFiles([...extra, ...this.journal.read().map((e) => e.file)], () => null, dryRun);
  }

  /**
   * On exit and after a crash: first every write in place a killed daemon left
   * part way is finished, then exactly the blocks this daemon wrote are taken
   * out, and no one else's.
   */
  async recover(): Promise<Recovery> {
    const finished = await finishInPlaceWrites(this.home);
    const entries = this.journal.read();
    const idsIn = (file: string): Set<string> => new Set(entries.filter((e) => e.file === file).map(idOf));
    const { changes, failures } = await this.removeFromFiles(
      entries.map((e) => e.file),
      (file) => idsIn(file),
      false,
    );
    // Named for people by project: the blocks that were in a file before and are gone from it now.
    const removed = changes.flatMap((c) => {
      const gone = new Set(listBlocks(c.bytes.before).map((b) => b.id));
      for (const b of listBlocks(c.bytes.after)) gone.delete(b.id);
      return entries.filter((e) => e.file === c.file && gone.has(idOf(e))).map((e): RecoveredChange => ({ kind: 'hostsEntries', path: e.root }));
    });
    return {
      done: [...finished.done, ...changes.filter((c) => c.changed).map((c) => `removed this daemon's hosts entries from ${c.file}`)],
      failures: [...finished.failures, ...failures],
      undone: [...finished.undone, ...removed],
    };
  }
}
