/**
 * Which file a hosts-file path really names, checked before anything opens it:
 * symbolic links are followed to the file they point at (macOS's /etc/hosts is
 * one), so the link stays a link and its target is what changes; anything that
 * is not a regular file (a folder, a device such as /dev/null, a FIFO that
 * would block a reader forever) is refused with one sentence; a missing file
 * may be created only in a folder that exists.
 */
import { lstat, readlink, stat } from 'node:fs/promises';
import * as path from 'node:path';

/** A hosts file that cannot be read or written as asked; the message is one sentence for a person. */
export class HostsFileError extends Error {}

/** A path that can never be a hosts file (a folder, a device, a missing folder): records of it are dropped. */
export class NotAHostsFile extends HostsFileError {}

export interface HostsTarget {
  /** The regular file (or the file to create) that writes go to. */
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
      if (!parent?.isDirectory()) throw new NotAHostsFile(`The hosts file ${requested} cannot be created: the folder ${folder} does not exist.`);
      return { file: current, exists: false };
    }
    if (stats.isFile()) return { file: current, exists: true };
    if (!stats.isSymbolicLink()) {
      const via = current === requested ? '' : ` (through the link to ${current})`;
      throw new NotAHostsFile(`The hosts file ${requested}${via} is ${kindOf(stats)}, not a regular file; nothing was read or written.`);
    }
    current = path.resolve(path.dirname(current), await readlink(current));
  }
  throw new NotAHostsFile(`The hosts file ${requested} is a chain of more than ${MAX_LINKS} symbolic links.`);
}
