/**
 * The one way the daemon and its clients create, replace and read files in
 * the daemon's home (discovery file, lock, journals, log, hosts backups,
 * compose overrides). Issue 14 found a home another user had prepared: links
 * planted at the temp and log names sent the token and the log wherever they
 * pointed. So:
 * - a folder is used only when it is ours, a real folder, and writable by us
 *   alone (fileOwnership.ts says why each rule);
 * - a new file is created with O_CREAT|O_EXCL|O_NOFOLLOW (a planted link or
 *   file makes the create fail instead of being written through), under an
 *   unguessable temp name, then renamed into place (rename replaces a link, it
 *   never writes through one);
 * - an existing file is opened with O_NOFOLLOW and checked on its descriptor
 *   (fstat: what we check is what we read or write, whatever is swapped in
 *   at the path meanwhile).
 * As root the rules are the same, and they matter most there: root passes
 * every permission check, so only these checks stop it writing through a
 * user's link, and a home or file owned by anyone else is refused.
 * Windows has no owners or modes we could compare, and no O_NOFOLLOW: there
 * only the exclusive create and the atomic rename apply.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fchmodSync, fstatSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { directoryProblem, factsOf, ownFileProblem, privateFileProblem, UnsafePathError } from './fileOwnership';
import type { PathProblem, ProblemKind } from './fileOwnership';

const POSIX = process.platform !== 'win32';
// Undefined on Windows, where 0 adds nothing to the flags.
const NOFOLLOW: number = constants.O_NOFOLLOW ?? 0;
const NONBLOCK: number = constants.O_NONBLOCK ?? 0;

const LINK: PathProblem = { kind: 'symlink', clause: 'is a symbolic link' };

/** The uid files must belong to; null where the OS has none to compare (Windows). */
export function ownUid(): number | null {
  return POSIX ? (process.getuid?.() ?? null) : null;
}

/** Whether an open with O_NOFOLLOW failed because the path is a link (Linux and macOS: ELOOP; FreeBSD: EMLINK). */
function isLinkError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return NOFOLLOW !== 0 && (code === 'ELOOP' || code === 'EMLINK');
}

const DIRECTORY_ADVICE: Record<ProblemKind, string> = {
  symlink: 'replace the link with a folder of your own, or set MULTISITE_LOCAL_HOME to one.',
  kind: 'set MULTISITE_LOCAL_HOME to a folder of your own.',
  owner: 'set MULTISITE_LOCAL_HOME to a folder of your own, or remove this one.',
  writable: 'another user may have put files or links in it; check what it holds, then run chmod 700 on it (or remove it).',
  readable: 'run chmod 700 on it.',
  links: 'set MULTISITE_LOCAL_HOME to a folder of your own.',
};

/**
 * Creates `dir` (and its parents) if needed, private (0700), and makes sure an
 * existing one is a folder only we can read and write. One we did not make
 * private is refused rather than changed: every folder the daemon ever created
 * was 0700, so another mode is someone's choice, and bad input changes nothing.
 * `subject` names it in the sentence: "The daemon's home /x".
 */
export function ensurePrivateDir(dir: string, subject: string): void {
  if (!POSIX) {
    mkdirSync(dir, { recursive: true });
    return;
  }
  if (!lstatSync(dir, { throwIfNoEntry: false })) mkdirSync(dir, { recursive: true, mode: 0o700 });
  const facts = factsOf(lstatSync(dir));
  const problem = directoryProblem(facts, ownUid());
  if (problem) throw new UnsafePathError(dir, problem, DIRECTORY_ADVICE[problem.kind], subject);
}

/** Creates `file`, which must not exist yet (not even as a link), with `data` and exactly `mode`. */
export function writeNewFile(file: string, data: string | Uint8Array, mode = 0o600): void {
  const fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW, mode);
  try {
    if (POSIX) fchmodSync(fd, mode); // the umask may have taken bits away
    writeFileSync(fd, data);
  } catch (error) {
    closeSync(fd);
    rmSync(file, { force: true });
    throw error;
  }
  closeSync(fd);
}

/**
 * Replaces `file` in one step: a reader (or a crash) sees the old content or
 * the new, never half. The temp name is unguessable and created exclusively,
 * so nothing planted beside the file is ever written through.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o600): void {
  const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writeNewFile(temp, data, mode);
  try {
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/**
 * The content of a file that must be ours and private (the discovery file),
 * or null when there is none. A link, another user's file, or one others can
 * read or write is refused: `advice` says what to do about it.
 */
export function readPrivateFile(file: string, subject: string, advice: string): string | null {
  return readPrivateBytes(file, subject, advice)?.toString('utf8') ?? null;
}

/** As readPrivateFile, the bytes as they are (V8's code cache). */
export function readPrivateBytes(file: string, subject: string, advice: string): Buffer | null {
  let fd: number;
  try {
    // Non-blocking: a FIFO planted here would otherwise hang the reader until someone writes.
    fd = openSync(file, constants.O_RDONLY | NOFOLLOW | NONBLOCK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    if (isLinkError(error)) throw new UnsafePathError(file, LINK, advice, subject);
    throw error;
  }
  try {
    const problem = privateFileProblem(factsOf(fstatSync(fd)), ownUid());
    if (problem) throw new UnsafePathError(file, problem, advice, subject);
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Opens (creating if needed) a log file to append to, for reading too (to
 * rotate it). It must be a regular file of ours with no other name; if others
 * may read it, it is made private. The caller closes the descriptor.
 */
export function openLog(file: string, subject: string): number {
  const advice = 'delete it; the daemon creates its own log.';
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDWR | constants.O_APPEND | constants.O_CREAT | NOFOLLOW, 0o600);
  } catch (error) {
    if (isLinkError(error)) throw new UnsafePathError(file, LINK, advice, subject);
    throw error;
  }
  try {
    const facts = factsOf(fstatSync(fd));
    const problem = ownFileProblem(facts, ownUid());
    if (problem) throw new UnsafePathError(file, problem, advice, subject);
    if (POSIX && facts.mode & 0o077) fchmodSync(fd, 0o600);
    return fd;
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}
