/**
 * Which file a hosts-file path really names, checked before anything opens it.
 * Symbolic links made by root or by the user are followed to the file they
 * point at (macOS's /etc/hosts is one, NixOS's too), so the link stays a link
 * and its target is what changes; a link another user made is refused: it
 * would let them choose which file we (perhaps elevated) rewrite. Anything
 * that is not a regular file (a folder, a device such as /dev/null, a FIFO that
 * would block a reader forever) is refused with one sentence. A missing file is
 * reported as such: reading it finds no entries, and apply refuses to create it
 * (see HostsEntries.apply).
 */
import { lstat, readlink, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { ownUid } from '../protocol/safeFile';

/** A hosts file that cannot be read or written as asked; the message is one sentence for a person. */
export class HostsFileError extends Error {}

/** A path that can never be a hosts file (a folder, a device, a missing folder): records of it are dropped. */
export class NotAHostsFile extends HostsFileError {}

export interface HostsTarget {
  /** The regular file that writes go to (when it exists). */
  file: string;
  exists: boolean;
}

const MAX_LINKS = 32;

function kindOf(stats: Awaited<ReturnType<typeof lstat>>): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Follows `requested` (an absolute path) to the regular file it names; throws NotAHostsFile when there is none. */
export async function hostsTarget(requested: string): Promise<HostsTarget> {
  let current = requested;
  for (let hops = 0; hops <= MAX_LINKS; hops++) {
    let stats;
    try {
      stats = await lstat(current);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOTDIR') throw new NotAHostsFile(`The hosts file ${requested} is inside something that is not a folder.`);
      if (code !== 'ENOENT') throw new HostsFileError(`The hosts file ${requested} cannot be read: ${(error as Error).message}.`);
      const folder = path.dirname(current);
      const parent = await stat(folder).catch(() => null);
      if (!parent?.isDirectory()) throw new NotAHostsFile(`The hosts file ${requested} does not exist, nor does its folder ${folder}.`);
      return { file: current, exists: false };
    }
    if (stats.isFile()) return { file: current, exists: true };
    const via = current === requested ? '' : ` (through the link to ${current})`;
    if (!stats.isSymbolicLink())
      throw new NotAHostsFile(`The hosts file ${requested}${via} is ${kindOf(stats)}, not a regular file; nothing was read or written.`);
    const uid = ownUid();
    if (uid !== null && stats.uid !== 0 && stats.uid !== uid)
      throw new HostsFileError(
        `The hosts file ${requested}${via} is a symbolic link made by user ${stats.uid}, neither root nor you, so it is not followed; nothing was read or written.`,
      );
    current = path.resolve(path.dirname(current), await readlink(current));
  }
  throw new NotAHostsFile(`The hosts file ${requested} is a chain of more than ${MAX_LINKS} symbolic links.`);
}
