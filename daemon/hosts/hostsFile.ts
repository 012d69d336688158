/**
 * Reads and writes one hosts file (a regular file: see hostsFileCheck.ts) without
 * ever losing, altering or misplacing a byte that is not ours:
 * - it works on bytes (latin1 strings, one character per byte), never re-encoding;
 * - changes are serialized in this daemon and, through a lock file, with our
 *   other daemons; each is computed from what is on disk, and written only if
 *   the file (device, inode, size, modification time) has not changed since it
 *   was read, otherwise read again, a bounded number of times;
 * - the write is a temp file renamed over the original (readers never see half
 *   a file), keeping mode and owner; where rename cannot work (bind mounts,
 *   Windows locks, a file owned by someone else) it is in place (inPlaceWrite.ts),
 *   and where the daemon may not write it goes through one administrator prompt;
 * - a file nobody may write (no write permission bit at all) is read-only on
 *   purpose and is refused; so is a change on a full disk or a read-only file
 *   system, in one sentence, with nothing changed;
 * - a temp file a killed daemon left beside the file is removed by the next change;
 * - whatever another program appended to the old copy while we renamed is
 *   taken into the new one;
 * - a backup of what was replaced is kept; the OS DNS cache is flushed after (dnsCache.ts).
 */
import { randomBytes } from 'node:crypto';
import { appendFile, chmod, chown, rename, rm, unlink, writeFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import { DaemonError } from '../base/daemonError';
import { reached } from '../base/debugStop';
import { nextTurn } from '../base/eventLoop';
import { copyElevated } from './elevatedCopy';
import { flushDnsCache } from './dnsCache';
import { lockHostsFile } from './hostsFileLock';
import { writeInPlace } from './inPlaceWrite';
import { ourTempFile, sweepTempFiles } from './tempFiles';
import { fileChange } from '../base/fileChange';
import type { FileChange } from '../base/fileChange';
import { appendedSince, currentStats, readAll, readSnapshot, stillSame } from './fileSnapshot';
import type { Snapshot } from './fileSnapshot';
import { HostsFileError } from './hostsFileCheck';
import { DaemonErrorCode } from '../../protocol/protocol';
import { writeFileAtomic } from '../../home/safeFile';
import { SerialQueue } from '../base/serialQueue';
import { HostsPermissionError, systemErrorSentence } from './writeErrors';

export function defaultHostsFile(): string {
  return process.platform === 'win32' ? path.join(process.env.SystemRoot ?? 'C:\\Windows', 'System32', 'drivers', 'etc', 'hosts') : '/etc/hosts';
}

/**
 * The hosts file a request means: its own choice (an absolute path), else the
 * daemon's MULTISITE_LOCAL_HOSTS_FILE (made absolute when the daemon started), else the OS's.
 */
export function requestedHostsFile(requested: unknown): string {
  if (requested === undefined || requested === null) return process.env.MULTISITE_LOCAL_HOSTS_FILE || defaultHostsFile();
  if (typeof requested !== 'string' || requested.trim() === '') {
    throw new DaemonError(DaemonErrorCode.BadRequest, "The hosts file path is empty; leave it out to use the system's hosts file.");
  }
  if (!path.isAbsolute(requested))
    throw new DaemonError(DaemonErrorCode.BadRequest, `The hosts file path ${JSON.stringify(requested)} is relative; give an absolute path.`);
  return path.normalize(requested);
}

/** How many times a change is computed again because the file changed under it. */
const MAX_ATTEMPTS = 20;
/** How long, and how often, a replaced copy is watched for a late writer's lines. */
const LATE_WRITE_WATCH_MS = 2000;
const LATE_WRITE_POLL_MS = 20;
const RENAME_IMPOSSIBLE = new Set(['EBUSY', 'EXDEV', 'EPERM', 'EACCES']);

/** A file without any write permission bit was made read-only on purpose: it is not ours to override, even as root. */
function refuseReadOnly(file: string, snapshot: Snapshot): void {
  if (!snapshot.stats || (snapshot.stats.mode & 0o222n) !== 0n) return;
  const mode = (snapshot.stats.mode & 0o7777n).toString(8).padStart(4, '0');
  throw new HostsFileError(`${file} is read-only (mode ${mode}), so nothing was changed; make it writable (chmod u+w) or choose another hosts file.`);
}

/** Bytes held as a latin1 string, decoded as UTF-8 for people. */
export const fromBytes = (bytes: string): string => Buffer.from(bytes, 'latin1').toString('utf8');

/** A change to a hosts file, with its exact bytes (latin1 strings; null: no file) for what reads it further. */
export interface HostsFileChange extends FileChange {
  bytes: { before: string | null; after: string | null };
}

/** Thrown between our check and our write when the file changed: compute the change again. */
class ChangedMeanwhile extends Error {}

/** One queue per file for the whole process: two HostsFile objects for one file (two homes in a test) never write at once. */
const queues = new Map<string, SerialQueue>();

export class HostsFile {
  private readonly queue: SerialQueue;

  /** `file` was checked (checkHostsFile): a regular file, or none yet. */
  constructor(
    readonly file: string,
    private readonly backupFile: string,
  ) {
    let queue = queues.get(file);
    if (!queue) queues.set(file, (queue = new SerialQueue()));
    this.queue = queue;
  }

  private async unchangedSince(snapshot: Snapshot): Promise<void> {
    if (!(await stillSame(snapshot, await currentStats(this.file)))) throw new ChangedMeanwhile();
  }

  /** The file's bytes as a latin1 string (null when it does not exist). */
  async read(): Promise<string | null> {
    const snapshot = await readSnapshot(this.file);
    await snapshot.handle?.close();
    return snapshot.text;
  }

  /**
   * Applies `transform` to the file's current bytes (null: no file; returning null
   * deletes it), one change at a time; `dryRun` only computes.
   */
  update(transform: (text: string | null) => string | null, dryRun = false): Promise<HostsFileChange> {
    return this.queue.run(async () => {
      try {
        return await this.updateNow(transform, dryRun);
      } catch (error) {
        throw systemErrorSentence(error, this.file);
      }
    });
  }

  private async updateNow(transform: (text: string | null) => string | null, dryRun: boolean): Promise<HostsFileChange> {
    const report = (before: string | null, after: string | null): HostsFileChange => ({
      ...fileChange(
        this.file,
        after !== before,
        () => fromBytes(before ?? ''),
        () => fromBytes(after ?? ''),
      ),
      bytes: { before, after },
    });
    const release = dryRun ? null : await lockHostsFile(this.file);
    try {
      if (!dryRun) await sweepTempFiles(this.file);
      // Set when another program wrote to the copy we replaced: its version, and what we had put in its place.
      let takeIn: { bytes: string; replacedBy: string | null } | null = null;
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const snapshot = await readSnapshot(this.file);
        reached('hosts:read');
        try {
          await nextTurn(); // computing the change reads the whole file: let waiting clients in first
          let before = snapshot.text;
          if (takeIn) {
            // What was appended to our new copy since comes after what went into the old one.
            const ours: string = takeIn.replacedBy ?? '';
            if (snapshot.text === null || !snapshot.text.startsWith(ours)) {
              // Both copies were changed: ours is on disk, theirs goes where the sentence says.
              writeFileAtomic(this.backupFile, Buffer.from(takeIn.bytes, 'latin1'));
              throw new HostsFileError(
                `${this.file} was changed by two programs while it was being updated; check it (the version we replaced is in ${this.backupFile}).`,
              );
            }
            before = takeIn.bytes + snapshot.text.slice(ours.length);
          }
          const after = transform(before);
          if (dryRun || after === snapshot.text) return report(before, after);
          const written: { before: string | null; after: string | null } = { before, after };
          refuseReadOnly(this.file, snapshot);
          writeFileAtomic(this.backupFile, Buffer.from(before ?? '', 'latin1'));
          reached('hosts:backed-up');
          const how = after === null ? await this.remove(snapshot) : await this.replace(snapshot, written, transform);
          // Lines taken in while writing belong in the backup too: it is what was replaced.
          if (written.before !== before) writeFileAtomic(this.backupFile, Buffer.from(written.before ?? '', 'latin1'));
          if (how === 'renamed' && snapshot.handle) {
            // Another program wrote to the copy we replaced between our last check and the rename
            // (we still hold it open): its version is computed from again, so its edit is kept.
            const stats = await snapshot.handle.stat({ bigint: true });
            if (!(await stillSame(snapshot, stats))) {
              const late = await appendedSince(snapshot, stats);
              const theirs: string = late === null ? (await readAll(snapshot.handle, Number(stats.size))).toString('latin1') : `${written.before ?? ''}${late}`;
              takeIn = { bytes: theirs, replacedBy: written.after };
              continue;
            }
            this.watchReplacedCopy({ ...snapshot });
            snapshot.handle = null; // the watch closes it
          }
          flushDnsCache();
          return report(written.before, written.after);
        } catch (error) {
          if (!(error instanceof ChangedMeanwhile)) throw error;
        } finally {
          await snapshot.handle?.close();
        }
      }
      throw new HostsFileError(`${this.file} kept changing while it was being updated (${MAX_ATTEMPTS} tries); nothing was written, try again.`);
    } finally {
      release?.();
    }
  }

  /**
   * A writer that opened the file before our rename can still write to the
   * copy we replaced (a process paused between its open and its write, on a
   * busy machine). For a short while, whatever is appended there is appended
   * to the file itself, so no line is lost.
   */
  private watchReplacedCopy(replaced: Snapshot): void {
    const deadline = Date.now() + LATE_WRITE_WATCH_MS;
    const handle = replaced.handle as FileHandle;
    const check = async (): Promise<void> => {
      const stats = await handle.stat({ bigint: true });
      const late = await appendedSince(replaced, stats);
      if (late) {
        Object.assign(replaced, { text: `${replaced.text ?? ''}${late}`, stats });
        await this.update((text) => `${text ?? ''}${late}`);
      }
      if (Date.now() < deadline) setTimeout(() => void check().catch(() => handle.close()), LATE_WRITE_POLL_MS).unref();
      else await handle.close();
    };
    setTimeout(() => void check().catch(() => handle.close()), LATE_WRITE_POLL_MS).unref();
  }

  /**
   * Writes `written.after` as the file's new content. When another program only
   * appended lines since the snapshot, they are taken in (`written` and the
   * snapshot move on) rather than starting over, so a steady writer cannot starve us.
   */
  private async replace(
    snapshot: Snapshot,
    written: { before: string | null; after: string | null },
    transform: (text: string | null) => string | null,
  ): Promise<'renamed' | 'in place'> {
    const temp = ourTempFile(this.file, randomBytes(4).toString('hex'));
    const mode = snapshot.stats ? Number(snapshot.stats.mode & 0o7777n) : 0o644;
    try {
      try {
        await writeFile(temp, Buffer.from(written.after ?? '', 'latin1'), { mode, flag: 'wx' });
        await chmod(temp, mode); // the umask may have taken bits away
        const uid = process.getuid?.();
        const gid = process.getgid?.();
        if (snapshot.stats && uid !== undefined && (snapshot.stats.uid !== BigInt(uid) || snapshot.stats.gid !== BigInt(gid ?? 0))) {
          await chown(temp, Number(snapshot.stats.uid), Number(snapshot.stats.gid)); // EPERM unless root: then in place, which keeps the owner
        }
        for (;;) {
          const current = await currentStats(this.file);
          if (await stillSame(snapshot, current)) break;
          const appended = await appendedSince(snapshot, current);
          if (appended === null) throw new ChangedMeanwhile();
          const before = (written.before ?? '') + appended;
          const after = transform(before);
          if (after === null) throw new ChangedMeanwhile();
          if (after === `${written.after ?? ''}${appended}`) await appendFile(temp, Buffer.from(appended, 'latin1'));
          else await writeFile(temp, Buffer.from(after, 'latin1'));
          Object.assign(written, { before, after });
          // The snapshot is the file's own bytes (`before` may also hold lines taken in from an old copy).
          Object.assign(snapshot, { text: `${snapshot.text ?? ''}${appended}`, stats: current });
        }
        reached('hosts:temp-written');
        await rename(temp, this.file);
        reached('hosts:renamed');
        return 'renamed';
      } finally {
        await rm(temp, { force: true });
      }
    } catch (error) {
      if (!RENAME_IMPOSSIBLE.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
    }
    const bytes = Buffer.from(written.after ?? '', 'latin1');
    await this.unchangedSince(snapshot);
    try {
      // Same inode, as a bind mount needs.
      await writeInPlace(this.file, snapshot.text === null ? null : Buffer.from(snapshot.text, 'latin1'), bytes, this.backupFile);
      return 'in place';
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EROFS') throw new HostsPermissionError(this.file); // no prompt can help
      if (code !== 'EACCES' && code !== 'EPERM') throw error;
    }
    // Not ours to write: one prompt for the whole change, staged in our own folder, one fixed copy.
    const staged = `${this.backupFile}.new`;
    writeFileAtomic(staged, bytes, 0o644);
    try {
      await copyElevated(staged, this.file);
    } finally {
      await rm(staged, { force: true });
    }
    return 'in place';
  }

  /** Deletes a file we created that now holds nothing; where we may not, leaves it empty. */
  private async remove(snapshot: Snapshot): Promise<'removed' | 'renamed' | 'in place'> {
    await this.unchangedSince(snapshot);
    try {
      await unlink(this.file);
      return 'removed';
    } catch (error) {
      if (!RENAME_IMPOSSIBLE.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
      return this.replace(snapshot, { before: snapshot.text, after: '' }, () => '');
    }
  }
}
