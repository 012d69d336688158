/**
 * Reading and replacing the project's compose file for a port edit, without
 * ever leaving it half written or re-encoded:
 * - it is read as strict UTF-8 (what compose reads): a file that is not is
 *   refused, since decoding it loosely and writing it back would change bytes;
 * - a write is a temp file beside it, flushed, then renamed over it (a crash
 *   leaves the old file or the new one, and docker compose never reads half),
 *   with the same mode and owner; a link is followed to the file it names, so
 *   the link stays a link;
 * - where a rename would lose something (a file with other hard links, one
 *   owned by another user) or cannot work (a bind-mounted file), the file is
 *   written in place;
 * - the file must still hold what the edit was computed from: a save made
 *   meanwhile is never overwritten.
 * The temp file's name is chosen (and journaled) by the caller, so recovery
 * after a crash knows exactly which file to remove.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { open, readFile, realpath, rename, rm, stat } from 'node:fs/promises';
import * as path from 'node:path';

const NOFOLLOW: number = constants.O_NOFOLLOW ?? 0;
const RENAME_IMPOSSIBLE = new Set(['EBUSY', 'EXDEV', 'EPERM', 'EACCES']);

/** The file changed between our reading it and our write: the write was not made. */
export class ComposeFileChanged extends Error {
  constructor(file: string) {
    super(`${path.basename(file)} changed while its web port was being edited, so it was left as it is; try again.`);
  }
}

export class NotUtf8Text extends Error {}

/** The file's text; a sentence naming the file and line when it is not UTF-8. */
export async function readComposeText(file: string): Promise<string> {
  const bytes = await readFile(file);
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  try {
    return decoder.decode(bytes);
  } catch {
    let line = 1;
    for (let start = 0; start < bytes.length; line++) {
      const end = bytes.indexOf(0x0a, start);
      const next = end === -1 ? bytes.length : end + 1;
      try {
        decoder.decode(bytes.subarray(start, next));
      } catch {
        break;
      }
      start = next;
    }
    throw new NotUtf8Text(`${path.basename(file)} line ${line} is not UTF-8 text, which compose needs, so the file is left as it is.`);
  }
}

/** A fresh name for the temp file beside `file` (beside the file a link names: the rename must stay in its folder). */
export async function tempBeside(file: string): Promise<string> {
  const real = await realpath(file);
  return path.join(path.dirname(real), `.${path.basename(real)}.multisite-local-${randomBytes(6).toString('hex')}.tmp`);
}

/** Whether `file` still holds `expected`. */
async function holds(file: string, expected: Buffer): Promise<boolean> {
  try {
    return (await readFile(file)).equals(expected);
  } catch {
    return false;
  }
}

async function writeInPlace(file: string, real: string, data: Buffer, expected: Buffer): Promise<void> {
  const handle = await open(real, constants.O_RDWR);
  try {
    if (!(await handle.readFile()).equals(expected)) throw new ComposeFileChanged(file);
    await handle.write(data, 0, data.length, 0);
    await handle.truncate(data.length);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Replaces the text of `file`, which must still be `expected`, by `text`
 * through `temp` (from tempBeside). Throws ComposeFileChanged when someone
 * changed the file since it was read.
 */
export async function replaceComposeText(file: string, text: string, expected: string, temp: string): Promise<void> {
  const real = await realpath(file);
  const facts = await stat(real);
  const data = Buffer.from(text, 'utf8');
  const before = Buffer.from(expected, 'utf8');
  const uid = process.getuid?.() ?? null;
  const renameKeepsAll = facts.nlink === 1 && (uid === null || uid === 0 || uid === facts.uid);
  await rm(temp, { force: true });
  if (!renameKeepsAll) return writeInPlace(file, real, data, before);
  try {
    const handle = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW, 0o600);
    try {
      await handle.writeFile(data);
      await handle.chmod(facts.mode & 0o7777);
      // A group we may not give it (EPERM) means the rename would change it: then in place, below.
      const created = await handle.stat();
      if (created.uid !== facts.uid || created.gid !== facts.gid) await handle.chown(facts.uid, facts.gid);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (!(await holds(real, before))) throw new ComposeFileChanged(file);
    await rename(temp, real);
  } catch (error) {
    await rm(temp, { force: true });
    if (!RENAME_IMPOSSIBLE.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
    await writeInPlace(file, real, data, before);
  }
}
