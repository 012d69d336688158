/**
 * Whether a folder or file of the daemon's can be trusted, from what lstat or
 * fstat says about it. The home holds the token and the journals that decide
 * which processes to kill and which files to restore: anything another user
 * could have put there, or could redirect, is refused. Pure, so the rules are
 * tested without another user to own files (see safeFile.ts for the I/O).
 */
import type { Stats } from 'node:fs';

export interface PathFacts {
  /** What the path itself is: a link is never followed. */
  kind: 'directory' | 'file' | 'symlink' | 'other';
  uid: number;
  /** The permission bits (mode & 0o777). */
  mode: number;
  /** Names the file has: another one made with `ln` would let its maker swap what we write. */
  links: number;
}

export type ProblemKind = 'symlink' | 'kind' | 'owner' | 'writable' | 'readable' | 'links';

export interface PathProblem {
  kind: ProblemKind;
  /** What is wrong, as the end of a sentence that starts with the path: "is owned by user 65534, …". */
  clause: string;
}

export function factsOf(stats: Stats): PathFacts {
  const kind = stats.isSymbolicLink() ? 'symlink' : stats.isDirectory() ? 'directory' : stats.isFile() ? 'file' : 'other';
  return { kind, uid: stats.uid, mode: stats.mode & 0o777, links: stats.nlink };
}

const octal = (mode: number): string => `0${mode.toString(8).padStart(3, '0')}`;

function kindProblem(facts: PathFacts, expected: 'directory' | 'file'): PathProblem | null {
  if (facts.kind === 'symlink') return { kind: 'symlink', clause: 'is a symbolic link' };
  if (facts.kind !== expected) return { kind: 'kind', clause: expected === 'directory' ? 'is not a folder' : 'is not a regular file' };
  return null;
}

/** `uid` is this process's; null where the OS has no owners and modes to compare (Windows). */
function ownerProblem(facts: PathFacts, uid: number | null): PathProblem | null {
  if (uid === null || facts.uid === uid) return null;
  return { kind: 'owner', clause: `is owned by user ${facts.uid}, not by user ${uid} who runs this` };
}

/**
 * A folder the daemon keeps its files in: ours, a real folder, and private.
 * Writable by others: they could have planted links or files in it. Readable
 * by others: they can list what we keep and read any file a bug, a crash
 * mid-write or another tool left readable (issue 14 asks for it refused).
 */
export function directoryProblem(facts: PathFacts, uid: number | null): PathProblem | null {
  const kind = kindProblem(facts, 'directory');
  if (kind) return kind;
  const owner = ownerProblem(facts, uid);
  if (owner) return owner;
  if (uid !== null && facts.mode & 0o022) return { kind: 'writable', clause: `can be written by other users (mode ${octal(facts.mode)})` };
  if (uid !== null && facts.mode & 0o044) return { kind: 'readable', clause: `can be read by other users (mode ${octal(facts.mode)})` };
  return null;
}

/** A file only we may read or write (the discovery file: its token is the key to the daemon). */
export function privateFileProblem(facts: PathFacts, uid: number | null): PathProblem | null {
  const own = ownFileProblem(facts, uid);
  if (own) return own;
  if (uid !== null && facts.mode & 0o044) return { kind: 'readable', clause: `can be read by other users (mode ${octal(facts.mode)})` };
  if (uid !== null && facts.mode & 0o022) return { kind: 'writable', clause: `can be written by other users (mode ${octal(facts.mode)})` };
  return null;
}

/** A file of ours whose mode we may still correct (the log): a regular file, ours, with no other name. */
export function ownFileProblem(facts: PathFacts, uid: number | null): PathProblem | null {
  const kind = kindProblem(facts, 'file');
  if (kind) return kind;
  const owner = ownerProblem(facts, uid);
  if (owner) return owner;
  if (facts.links > 1) return { kind: 'links', clause: `has ${facts.links} names (a hard link was made to it)` };
  return null;
}

/** A path of the daemon's that is refused; the message is one sentence for a person, with what to do. */
export class UnsafePathError extends Error {
  constructor(
    readonly path: string,
    readonly problem: PathProblem,
    advice: string,
    /** How the sentence names the path: "The daemon's home /x". */
    subject = path,
  ) {
    super(`${subject} ${problem.clause}, so it is not used: ${advice}`);
  }
}
