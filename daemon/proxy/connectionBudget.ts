/**
 * How many connections the daemon's proxies may hold at once, derived from
 * the process's limit on open file descriptors. Each proxied connection costs
 * two descriptors (the browser's and the backend's); the rest of the daemon
 * (its JSON-RPC socket, the journal and discovery files, the backends' pipes,
 * watchers, log) must always find one. Issue 21: 450 half-sent requests
 * against a limit of 400 left the CLI with "socket hang up" and the discovery
 * file unwritable (EMFILE). One budget for every project's proxy, so two
 * projects cannot each take what the daemon needs.
 */
import { readFileSync } from 'node:fs';

/** Descriptors never given to proxied connections, at least (a fifth of the limit when that is more). */
const RESERVED = 100;
/** Past this many connections more would only cost memory: nothing local needs them. */
const MOST = 2000;
/** Where the limit cannot be read (not Linux): what a small soft limit allows. */
const UNKNOWN_LIMIT = 1024;

/** The soft limit on open files from Linux's `/proc/self/limits`, or null where it cannot be read. */
export function openFileLimit(limitsText: () => string = () => readFileSync('/proc/self/limits', 'utf8')): number | null {
  let text: string;
  try {
    text = limitsText();
  } catch {
    return null;
  }
  const soft = /^Max open files\s+(\S+)/m.exec(text)?.[1];
  if (soft === undefined) return null;
  return soft === 'unlimited' ? Infinity : Number(soft) || null;
}

/** The proxied connections a process with `limit` descriptors may hold: half of what the reserve leaves. */
export function connectionCap(limit: number | null): number {
  const known = limit ?? UNKNOWN_LIMIT;
  if (!Number.isFinite(known)) return MOST;
  const reserved = Math.max(RESERVED, Math.floor(known / 5));
  return Math.max(1, Math.min(MOST, Math.floor((known - reserved) / 2)));
}

export class ConnectionBudget {
  private used = 0;

  constructor(readonly cap: number) {}

  /** Takes one connection's share; false when none is left. */
  take(): boolean {
    if (this.used >= this.cap) return false;
    this.used++;
    return true;
  }

  give(): void {
    this.used = Math.max(0, this.used - 1);
  }

  get inUse(): number {
    return this.used;
  }
}

let daemonBudget: ConnectionBudget | null = null;

/** The one budget of this process, read from its limit the first time it is asked for. */
export function proxyBudget(): ConnectionBudget {
  daemonBudget ??= new ConnectionBudget(connectionCap(openFileLimit()));
  return daemonBudget;
}
