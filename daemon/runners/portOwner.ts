/**
 * Who listens on a TCP port. A server counts as started only when *our*
 * process group holds the listening socket (another project's server may
 * answer on the same port first), and a port someone else holds is reported
 * with its holder. Linux reads /proc (socket inode -> process); elsewhere
 * `lsof` answers; without either the answer is "unknown". /proc is read
 * synchronously (procFiles.ts says why).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { procLink, procList, procText } from '../base/procFiles';
import { commandLineOf, descendants } from '../base/processGroup';

const hasProc = (): boolean => existsSync('/proc/net/tcp');

/**
 * Inodes of the sockets listening on `port`, from /proc/net/tcp, else (none there: a server on `::`
 * also answers 127.0.0.1) /proc/net/tcp6. The kernel walks its whole socket table to write either
 * file, about 3 ms each here: the second only when the first has nothing.
 */
function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = procText(table); // empty: no IPv6 here
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // cols: sl local rem st tx:rx tr:when retrnsmt uid timeout inode
      if (cols.length < 10 || cols[3] !== '0A') continue; // 0A = LISTEN
      const local = cols[1];
      if (parseInt(local.slice(local.lastIndexOf(':') + 1), 16) === port) inodes.add(cols[9]);
    }
    if (inodes.size > 0) break;
  }
  return inodes;
}

/** Whether isListening can tell (Linux's /proc), rather than assume. */
export function canSeeListeners(): boolean {
  return hasProc();
}

/** Whether anything listens on `port` (Linux; elsewhere assumed, as nothing can tell). */
export function isListening(port: number): boolean {
  return !hasProc() || listeningInodes(port).size > 0;
}

function procPids(): number[] {
  return procList('/proc')
    .filter((e) => /^\d+$/.test(e))
    .map(Number);
}

/** The process group of `pid`, or null when it is gone (Linux: /proc/PID/stat field 5). */
function procPgid(pid: number): number | null {
  const stat = procText(`/proc/${pid}/stat`);
  // The command name (field 2) is in parentheses and may contain spaces: count from the last ')'.
  return stat ? Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) : null;
}

/** Whether `pid` holds a socket with one of `inodes` open (false for processes we may not inspect). */
function holds(pid: number, inodes: Set<string>): boolean {
  return procList(`/proc/${pid}/fd`).some((fd) => {
    const target = procLink(`/proc/${pid}/fd/${fd}`);
    return target.startsWith('socket:[') && inodes.has(target.slice(8, -1));
  });
}

/** Which of `pids` hold one of `inodes`. */
function holders(pids: number[], inodes: Set<string>): number[] {
  return pids.filter((pid) => holds(pid, inodes));
}

function run(file: string, args: string[]): Promise<string | null> {
  return new Promise((resolve) => execFile(file, args, { timeout: 5000 }, (error, stdout) => resolve(error && !stdout ? null : stdout)));
}

/** Pids listening on `port` according to lsof, or null when lsof cannot tell. */
async function lsofListeners(port: number): Promise<number[] | null> {
  const out = await run('lsof', ['-nP', '-t', `-iTCP:${port}`, '-sTCP:LISTEN']);
  if (out === null) return null;
  return out
    .split('\n')
    .filter((l) => /^\d+$/.test(l.trim()))
    .map(Number);
}

/**
 * Whether the socket listening on `port` belongs to process group `pgid`:
 * 'theirs' when another process holds it, 'unknown' when this system cannot tell.
 */
export async function listenerOwner(port: number, pgid: number): Promise<'ours' | 'theirs' | 'unknown'> {
  if (hasProc()) {
    const inodes = listeningInodes(port);
    if (inodes.size === 0) return 'theirs'; // it answered, but nothing listens any more: not a server of ours
    // runserver's processes are the leader and its descendants; one that left the group does not count.
    const members = descendants(pgid).filter((pid) => procPgid(pid) === pgid);
    return holders(members, inodes).length > 0 ? 'ours' : 'theirs';
  }
  const pids = await lsofListeners(port);
  if (pids === null || pids.length === 0) return 'unknown';
  for (const pid of pids) {
    const out = await run('ps', ['-o', 'pgid=', '-p', String(pid)]);
    if (out !== null && Number(out.trim()) === pgid) return 'ours';
  }
  return 'theirs';
}

/** Who listens on a port: a process, one this user cannot see, or nobody (or this system cannot tell). */
export type PortHolder = { pid: number; commandLine: string | null } | 'unseen' | null;

/** The process listening on `port` (the lowest pid when several share the socket). */
export async function portHolder(port: number): Promise<PortHolder> {
  let pids: number[] | null = null;
  if (hasProc()) {
    const inodes = listeningInodes(port);
    if (inodes.size === 0) return null;
    pids = holders(procPids(), inodes);
  } else {
    pids = await lsofListeners(port);
    if (pids === null || pids.length === 0) return null;
  }
  if (pids.length === 0) return 'unseen';
  const pid = Math.min(...pids);
  return { pid, commandLine: await commandLineOf(pid) };
}

/** "pid 123 (python3 -m http.server 8000)", or a vaguer phrase for a holder that cannot be seen. */
export function describeHolder(holder: PortHolder): string {
  if (holder === null) return 'another process';
  if (holder === 'unseen') return 'a process this user cannot see';
  const { pid, commandLine } = holder;
  const short = commandLine && commandLine.length > 80 ? `${commandLine.slice(0, 77)}...` : commandLine;
  return short ? `pid ${pid} (${short})` : `pid ${pid}`;
}

/** "pid 123 (python3 -m http.server 8000)", or a vaguer phrase when the holder cannot be seen. */
export async function describePortHolder(port: number): Promise<string> {
  return describeHolder(await portHolder(port));
}
