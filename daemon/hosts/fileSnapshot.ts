/**
 * One version of a file as the hosts writer reads it: its bytes (a latin1
 * string) and the stat that identifies the version (device, inode, size,
 * modification time), taken through a descriptor opened so that it never
 * blocks on a FIFO nor follows a link swapped in since the path was checked.
 * Comparing versions is how the writer notices another program's edit.
 */
import { constants } from 'node:fs';
import type { BigIntStats } from 'node:fs';
import { lstat, open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { HostsFileError } from './hostsFileCheck';

const READ_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);

export interface Snapshot {
  /** The bytes as a latin1 string; null when the file does not exist. */
  text: string | null;
  stats: BigIntStats | null;
  handle: FileHandle | null;
}

export function sameVersion(a: BigIntStats | null, b: BigIntStats | null): boolean {
  if (a === null || b === null) return a === b;
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs;
}

export async function readAll(handle: FileHandle, size: number): Promise<Buffer> {
  const buffer = Buffer.alloc(size);
  let done = 0;
  while (done < size) {
    const { bytesRead } = await handle.read(buffer, done, size - done, done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return buffer.subarray(0, done);
}

export async function readSnapshot(file: string): Promise<Snapshot> {
  let handle: FileHandle;
  try {
    handle = await open(file, READ_FLAGS);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { text: null, stats: null, handle: null };
    if (code === 'ELOOP') throw new HostsFileError(`The hosts file ${file} was replaced by a symbolic link; nothing was written.`);
    throw error;
  }
  try {
    // Stat before reading: a change that lands after the stat then always shows as a change.
    const stats = await handle.stat({ bigint: true });
    if (!stats.isFile()) throw new HostsFileError(`The hosts file ${file} is no longer a regular file; nothing was written.`);
    const bytes = await readAll(handle, Number(stats.size));
    if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
      throw new HostsFileError(`The hosts file ${file} is UTF-16 encoded, which the system's resolver does not read; save it as ASCII or UTF-8 first.`);
    }
    return { text: bytes.toString('latin1'), stats, handle };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

export async function currentStats(file: string): Promise<BigIntStats | null> {
  try {
    return await lstat(file, { bigint: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * Modification times this recent may not tell two versions apart (file
 * systems that keep them in whole or even two seconds): then the bytes decide.
 */
const COARSE_MTIME_NS = 2_000_000_000n;

/**
 * Whether the file is still the version `snapshot` read, given its `current`
 * stat: same device, inode, size and modification time, and, while that time
 * is too recent to trust on a file system that keeps whole seconds, the same bytes.
 */
export async function stillSame(snapshot: Snapshot, current: BigIntStats | null): Promise<boolean> {
  if (!sameVersion(current, snapshot.stats)) return false;
  const { stats, handle, text } = snapshot;
  if (!stats || !handle || text === null) return true;
  // A time with a fraction of a second comes from a file system that keeps fine times: trust it.
  if (stats.mtimeNs % 1_000_000_000n !== 0n || BigInt(Date.now()) * 1_000_000n - stats.mtimeNs > COARSE_MTIME_NS) return true;
  return (await readAll(handle, Number(stats.size))).equals(Buffer.from(text, 'latin1'));
}

/**
 * Lines appended to the file since `snapshot` (same file, grown, every byte we
 * read still there), as a byte string; null when it changed in any other way.
 */
export async function appendedSince(snapshot: Snapshot, current: BigIntStats | null): Promise<string | null> {
  const { stats, handle, text } = snapshot;
  if (!stats || !handle || text === null || !current || current.dev !== stats.dev || current.ino !== stats.ino || current.size <= stats.size) return null;
  const now = await readAll(handle, Number(current.size));
  if (now.length !== Number(current.size) || !now.subarray(0, text.length).equals(Buffer.from(text, 'latin1'))) return null;
  return now.subarray(text.length).toString('latin1');
}
