/**
 * Writing a hosts file in place, where a rename over it cannot work (a bind
 * mount, as in containers; a Windows lock). In place is never atomic, so:
 * - only the bytes from the first one that changes are written, then the file
 *   is cut to its new length: taking out a block at the end is a single cut;
 * - a write that fails part way (a full disk) puts the old bytes back (they
 *   fitted), so a failed change changes nothing;
 * - before writing, the old and new bytes and where the writing starts are
 *   recorded in the daemon's home; a daemon killed part way finds the record on
 *   its next start and finishes the write (old bytes up to some point, new ones
 *   after: the file is told apart from any other program's edit), or, if the
 *   file has been changed since, leaves it and says where both versions are.
 */
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import { reached } from '../base/debugStop';
import { IN_PLACE_RECORD } from '../../home/daemonHome';
import { writeFileAtomic } from '../../home/safeFile';
import type { Recovery } from '../journal/recoverable';
import type { RecoveredChange } from '../../protocol/protocol';

interface Record {
  file: string;
  /** Where the writing starts: the bytes before it are the same in both versions. */
  from: number;
}

/** The files of the record kept at `base` (in the daemon's home) while `file` is written in place. */
const recordFiles = (base: string): { json: string; before: string; after: string } => ({
  json: `${base}${IN_PLACE_RECORD}`,
  before: `${base}.in-place.before`,
  after: `${base}.in-place.after`,
});

function commonPrefix(a: Buffer, b: Buffer): number {
  const shorter = Math.min(a.length, b.length);
  let at = 0;
  while (at < shorter && a[at] === b[at]) at++;
  return at;
}

async function writeAll(handle: FileHandle, bytes: Buffer, position: number): Promise<void> {
  for (let done = 0; done < bytes.length;) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.length - done, position + done);
    done += bytesWritten;
  }
}

/**
 * Replaces the content of `file` (whose bytes are `before`; null: it does not
 * exist) by `after`, on the same inode. `base` names the record kept meanwhile.
 */
export async function writeInPlace(file: string, before: Buffer | null, after: Buffer, base: string): Promise<void> {
  const record = recordFiles(base);
  const old = before ?? Buffer.alloc(0);
  const from = commonPrefix(old, after);
  writeFileAtomic(record.before, old);
  writeFileAtomic(record.after, after);
  writeFileAtomic(record.json, JSON.stringify({ file, from } satisfies Record));
  let handle: FileHandle;
  try {
    handle = await open(file, before ? 'r+' : 'wx', 0o644);
  } catch (error) {
    forget(record); // nothing was written
    throw error;
  }
  try {
    try {
      await writeAll(handle, after.subarray(from), from);
      reached('hosts:in-place-written');
      await handle.truncate(after.length);
    } catch (error) {
      // Put the old bytes back: they fitted. If that fails too, the record stays for the next start.
      await writeAll(handle, old.subarray(from), from);
      await handle.truncate(old.length);
      forget(record);
      throw error;
    }
  } finally {
    await handle.close();
  }
  forget(record);
}

function forget(record: ReturnType<typeof recordFiles>): void {
  rmSync(record.json, { force: true }); // first: without it the bytes are only leftovers
  rmSync(record.before, { force: true });
  rmSync(record.after, { force: true });
}

/**
 * Whether `current` is `before` overwritten with `after` from `from` up to some
 * point, the rest still `before`'s (a write cut short, or not yet cut to length).
 */
export function isPartWritten(current: Buffer, before: Buffer, after: Buffer, from: number): boolean {
  if (current.length > before.length) return current.length <= after.length && current.equals(after.subarray(0, current.length));
  if (current.length !== before.length || !current.subarray(0, from).equals(before.subarray(0, from))) return false;
  // The new bytes reach at least up to where the old ones resume.
  let newUpTo = from;
  while (newUpTo < Math.min(current.length, after.length) && current[newUpTo] === after[newUpTo]) newUpTo++;
  let oldFrom = current.length;
  while (oldFrom > from && current[oldFrom - 1] === before[oldFrom - 1]) oldFrom--;
  return oldFrom <= newUpTo;
}

/** Finishes, on the next start, every write in place a killed daemon left part way; `home` holds the records. */
export async function finishInPlaceWrites(home: string): Promise<Recovery> {
  const done: string[] = [];
  const failures: string[] = [];
  const undone: RecoveredChange[] = [];
  let names: string[];
  try {
    names = readdirSync(home).filter((name) => name.endsWith(IN_PLACE_RECORD));
  } catch {
    return { done, failures, undone };
  }
  for (const name of names) {
    const record = recordFiles(path.join(home, name.slice(0, -IN_PLACE_RECORD.length)));
    let file = '(unknown)';
    try {
      const { file: target, from } = JSON.parse(readFileSync(record.json, 'utf8')) as Record;
      file = target;
      const before = readFileSync(record.before);
      const after = readFileSync(record.after);
      const handle = await open(file, 'r+');
      try {
        const current = readFileSync(handle.fd);
        if (current.equals(after) || current.equals(before)) {
          forget(record);
          continue;
        }
        if (!isPartWritten(current, before, after, from)) {
          failures.push(
            `${file} was being written in place when the daemon stopped, and has been changed since, so it was left as it is: the version before that write is in ${record.before}, the one it was becoming in ${record.after}.`,
          );
          rmSync(record.json, { force: true });
          continue;
        }
        await writeAll(handle, after.subarray(from), from);
        await handle.truncate(after.length);
      } finally {
        await handle.close();
      }
      forget(record);
      done.push(`finished writing ${file}, which the previous daemon was writing in place when it stopped`);
      undone.push({ kind: 'hostsWrite', path: file });
    } catch (error) {
      const gone = (error as NodeJS.ErrnoException).code === 'ENOENT';
      if (gone) forget(record); // nothing left to finish: said once
      failures.push(
        `${file} was being written in place when the daemon stopped, and could not be finished: ${gone ? 'it no longer exists' : (error as Error).message}.`,
      );
    }
  }
  return { done, failures, undone };
}
