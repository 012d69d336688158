/**
 * What a daemon holds, seen from outside through Linux /proc: its child
 * processes, the process groups of every process, and its open file
 * descriptors. The reliability tests count these before and after an attack,
 * so an orphan or a leaked socket shows up whatever the daemon itself reports.
 */
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

/** The fields of /proc/PID/stat after the command name (which may contain spaces and parentheses). */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** Every live pid on the machine. */
function allPids(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number);
}

/** The direct children of `pid` (zombies included: an unreaped child is a leak too). */
export function childrenOf(pid: number): number[] {
  const children: number[] = [];
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  for (const tid of tasks) {
    try {
      const listed = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8');
      for (const child of listed.split(' ').filter((c) => /^\d+$/.test(c))) children.push(Number(child));
    } catch {
      // The thread ended meanwhile.
    }
  }
  return children.sort((a, b) => a - b);
}

/** Every live process whose process group is `pgid`. */
export function groupMembers(pgid: number): number[] {
  return allPids().filter((pid) => Number(statFields(pid)?.[2]) === pgid);
}

/** The process group of every live process that is not a zombie, by pid. */
export function processGroups(pids: readonly number[]): Map<number, number> {
  const groups = new Map<number, number>();
  for (const pid of pids) {
    const fields = statFields(pid);
    if (fields && fields[0] !== 'Z') groups.set(pid, Number(fields[2]));
  }
  return groups;
}

/** What each open file descriptor of `pid` points at (`socket:[123]`, `pipe:[45]`, a path), by descriptor number. */
export function openFds(pid: number): Map<number, string> {
  const fds = new Map<number, string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      fds.set(Number(fd), readlinkSync(`/proc/${pid}/fd/${fd}`));
    } catch {
      // Closed between the listing and the read.
    }
  }
  return fds;
}

/** The kind of each descriptor (`socket`, `pipe`, `anon_inode:[eventpoll]`, a path) with how many there are, for a readable difference. */
export function fdKinds(fds: Map<number, string>): Map<string, number> {
  const kinds = new Map<string, number>();
  for (const target of fds.values()) {
    const kind = target.replace(/:\[\d+\]$/, '');
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  return kinds;
}
