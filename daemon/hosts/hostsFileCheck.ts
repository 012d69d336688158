/**
 * Which file a hosts-file path names, checked before anything opens it: only a
 * regular file at that very path. A symbolic link is refused, not followed:
 * whoever made it would choose which file we (perhaps elevated) rewrite, and
 * no system's hosts file is one (macOS's /etc is a link to /private/etc, but
 * /etc/hosts itself is a file; NixOS's links into its read-only store, where
 * no edit could land anyway). Anything else that is not a regular file (a
 * folder, a device such as /dev/null, a FIFO that would block a reader
 * forever) is refused with one sentence too. A missing file is reported as
 * such: reading it finds no entries, and apply refuses to create it (see
 * HostsEntries.apply).
 */
import { lstat, readlink, stat } from 'node:fs/promises';
import * as path from 'node:path';

/** A hosts file that cannot be read or written as asked; the message is one sentence for a person. */
export class HostsFileError extends Error {}

/** A path that can never be a hosts file (a folder, a device, a missing folder): records of it are dropped. */
export class NotAHostsFile extends HostsFileError {}

function kindOf(stats: Awaited<ReturnType<typeof lstat>>): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Checks that `file` (an absolute path) is a regular file, or missing in a folder that exists. */
export async function checkHostsFile(file: string): Promise<void> {
  let stats;
  try {
    stats = await lstat(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') throw new NotAHostsFile(`The hosts file ${file} is inside something that is not a folder.`);
    if (code !== 'ENOENT') throw new HostsFileError(`The hosts file ${file} cannot be read: ${(error as Error).message}.`);
    const folder = path.dirname(file);
    const parent = await stat(folder).catch(() => null);
    if (!parent?.isDirectory()) throw new NotAHostsFile(`The hosts file ${file} does not exist, nor does its folder ${folder}.`);
    return;
  }
  if (stats.isFile()) return;
  if (stats.isSymbolicLink()) {
    const to = await readlink(file).catch(() => null);
    throw new HostsFileError(
      `The hosts file ${file} is a symbolic link${to === null ? '' : ` to ${to}`}, which is not followed, so nothing was read or written; name the file itself if that is the one to edit.`,
    );
  }
  throw new NotAHostsFile(`The hosts file ${file} is ${kindOf(stats)}, not a regular file; nothing was read or written.`);
}
