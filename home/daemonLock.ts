/**
 * The single-instance lock: one daemon per home directory.
 *
 * The lock file names its holder by pid, start time and command line. It counts
 * only while that exact process runs: a pid that died (even one left as a zombie)
 * or was reused by an unrelated process is stale and is taken over at once.
 *
 * Both steps are atomic, so racing daemons never both win:
 * - a new lock appears with its full content through link() of a temp file
 *   (no reader ever sees an empty or half-written lock);
 * - a stale lock is replaced only by the process that holds the "takeover"
 *   lock named after that stale content's hash, and only if the lock still
 *   holds that content (nobody else may change a stale lock: its holder is
 *   dead, and replacing it needs the takeover lock). The takeover lock is the
 *   same kind of lock, so one left by a taker that died is taken over in turn.
 */
import { createHash } from 'node:crypto';
import { linkSync, readFileSync, rmSync } from 'node:fs';
import { processIdentity } from './processIdentity';
import { writeFileAtomic, writeNewFile } from './safeFile';

export interface LockHolder {
  pid: number;
  /** The holder's start time (see processIdentity), '' if unknown. */
  start: string;
  /** The holder's command line as the OS reports it (processIdentity); it must still be the same. */
  command: string;
}

export type LockResult = { ok: true } | { ok: false; holder: LockHolder | null };

/** Takeover locks of takeover locks are only needed when takers die mid-takeover; this bounds the chain. */
const MAX_DEPTH = 4;

export function ownHolder(): LockHolder {
  const me = processIdentity(process.pid);
  return { pid: process.pid, start: me?.start ?? '', command: me?.command ?? '' };
}

function serialize(holder: LockHolder): string {
  return JSON.stringify(holder);
}

/** The holder recorded in a lock's text; a bare pid is the format of daemons before 0.2. */
export function parseHolder(text: string): LockHolder | null {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return { pid: Number(trimmed), start: '', command: '' };
  try {
    const value = JSON.parse(trimmed) as Partial<LockHolder>;
    if (!Number.isInteger(value.pid) || (value.pid as number) <= 0) return null;
    const text = (field: unknown): string => (typeof field === 'string' ? field : '');
    return { pid: value.pid as number, start: text(value.start), command: text(value.command) };
  } catch {
    return null;
  }
}

/** Whether the recorded holder is still that very process, running a daemon. */
export function holderIsLive(holder: LockHolder): boolean {
  const now = processIdentity(holder.pid);
  if (!now) return false;
  if (holder.start && now.start && holder.start !== now.start) return false; // the pid was reused
  if (!now.command) return true; // the OS cannot tell (Windows): the pid and start time have to do
  // A lock written before 0.2 is a bare pid: any daemon's command line will do.
  return holder.command ? now.command === holder.command : now.command.includes('daemon.js');
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function tempFile(file: string): string {
  return `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
}

/** Creates `file` with `text` if it does not exist, atomically and complete. */
function createExclusive(file: string, text: string): boolean {
  const temp = tempFile(file);
  writeNewFile(temp, text);
  try {
    linkSync(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    rmSync(temp, { force: true });
  }
}

function takeoverFile(file: string, staleText: string): string {
  return `${file}.takeover-${createHash('sha256').update(staleText).digest('hex').slice(0, 16)}`;
}

function lock(file: string, mine: string, depth: number): LockResult {
  for (let attempt = 0; attempt < 20; attempt++) {
    if (createExclusive(file, mine)) return { ok: true };
    const current = readText(file);
    if (current === null) continue; // released meanwhile: try again
    if (current === mine) return { ok: true };
    const holder = parseHolder(current);
    if (holder && holderIsLive(holder)) return { ok: false, holder };
    if (depth >= MAX_DEPTH) return { ok: false, holder };
    const takeover = takeoverFile(file, current);
    const taking = lock(takeover, mine, depth + 1);
    // Another live process is replacing this stale lock right now: it is the holder.
    if (!taking.ok) return taking;
    try {
      if (readText(file) === current) {
        writeFileAtomic(file, mine);
        return { ok: true };
      }
      // Replaced or released since we read it: look again.
    } finally {
      release(takeover, mine);
    }
  }
  return { ok: false, holder: null };
}

function release(file: string, mine: string): void {
  // Only while it is ours: a live holder's lock is never replaced, so this read cannot race a taker.
  if (readText(file) === mine) rmSync(file, { force: true });
}

/** The single-instance lock of one daemon process. */
export class DaemonLock {
  private readonly mine: string;

  constructor(
    readonly file: string,
    holder: LockHolder = ownHolder(),
  ) {
    this.mine = serialize(holder);
  }

  /** Takes the lock, taking over a stale one; on failure says who holds it (null: could not tell). */
  acquire(): LockResult {
    return lock(this.file, this.mine, 0);
  }

  /** Whether the lock file still names us; takes it again if it was deleted (false: someone else has it now). */
  reassert(): boolean {
    const current = readText(this.file);
    if (current === this.mine) return true;
    if (current === null) return createExclusive(this.file, this.mine);
    return false;
  }

  release(): void {
    release(this.file, this.mine);
  }
}

/** The live daemon holding the lock `file`, if any (clients look when the discovery file is missing). */
export function liveLockHolder(file: string): LockHolder | null {
  const text = readText(file);
  const holder = text === null ? null : parseHolder(text);
  return holder && holderIsLive(holder) ? holder : null;
}
