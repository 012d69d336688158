/**
 * The temp files the hosts writer renames over a hosts file, in the file's own
 * folder (a rename works only within one file system). A daemon killed between
 * writing one and renaming it leaves it there, beside /etc/hosts: the next
 * change to that file removes the ones whose writer is gone.
 */
import { readdir, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { processIdentity } from '../../home/processIdentity';

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The name of a temp file of this process for `file`. */
export function ourTempFile(file: string, nonce: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.multisite-local-${process.pid}-${nonce}.tmp`);
}

/** Removes the temp files for `file` left by processes that no longer run (or by an earlier process with our pid). */
export async function sweepTempFiles(file: string): Promise<void> {
  const ours = new RegExp(`^\\.${escapeRegExp(path.basename(file))}\\.multisite-local-(\\d+)-[0-9a-f]+\\.tmp$`);
  let names: string[];
  try {
    names = await readdir(path.dirname(file));
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(ours.exec(name)?.[1] ?? 0);
    // Changes to one file are serialized in this process: none of ours is under way now. A killed
    // writer may linger as a zombie when nothing reaps it (a container's init): that counts as gone.
    if (pid > 0 && (pid === process.pid || processIdentity(pid) === null))
      await rm(path.join(path.dirname(file), name), { force: true }).catch(() => undefined);
  }
}
