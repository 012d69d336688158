/**
 * Which addresses a process tree listens on (Linux /proc): the TCP sockets in
 * LISTEN and the UDP sockets bound without a peer, of `root` and every
 * process below it, with the address each is bound to. Tests prove with it
 * that the daemon, its proxies and every server it started bind loopback only.
 */
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { descendants } from '../../daemon/base/processGroup';

export interface ListeningSocket {
  pid: number;
  table: 'tcp' | 'tcp6' | 'udp' | 'udp6';
  /** 127.0.0.1, ::1, 0.0.0.0, :: … */
  address: string;
  port: number;
}

/** A /proc/net address: IPv4 as one little-endian word, IPv6 as four. */
function decodeAddress(hex: string): string {
  const words = hex.match(/.{8}/g) ?? [];
  const bytes = words.flatMap((w) => [6, 4, 2, 0].map((i) => parseInt(w.slice(i, i + 2), 16)));
  if (bytes.length === 4) return bytes.join('.');
  const groups = Array.from({ length: 8 }, (_, i) => ((bytes[2 * i] << 8) | bytes[2 * i + 1]).toString(16));
  // The shortest form for the addresses this is about (::, ::1); others keep every group.
  const text = groups.join(':');
  if (text === '0:0:0:0:0:0:0:0') return '::';
  if (text === '0:0:0:0:0:0:0:1') return '::1';
  return text;
}

interface Bound {
  table: ListeningSocket['table'];
  address: string;
  port: number;
}

/** Sockets that accept from anyone who can reach their address, by inode. */
function boundSockets(): Map<string, Bound> {
  const found = new Map<string, Bound>();
  for (const table of ['tcp', 'tcp6', 'udp', 'udp6'] as const) {
    let text = '';
    try {
      text = readFileSync(`/proc/net/${table}`, 'utf8');
    } catch {
      continue; // no IPv6 on this machine
    }
    for (const line of text.split('\n').slice(1)) {
      // sl local remote st tx:rx tr:when retrnsmt uid timeout inode
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10) continue;
      const [local, remote, state, inode] = [cols[1], cols[2], cols[3], cols[9]];
      const listening = table.startsWith('tcp') ? state === '0A' : /^0+:0000$/.test(remote);
      if (!listening) continue;
      const [address, port] = local.split(':');
      found.set(inode, { table, address: decodeAddress(address), port: parseInt(port, 16) });
    }
  }
  return found;
}

/** The sockets `root` and its descendants listen on. */
export function listeningSocketsOf(root: number): ListeningSocket[] {
  const sockets = boundSockets();
  const result: ListeningSocket[] = [];
  for (const pid of descendants(root)) {
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // ended meanwhile
    }
    for (const fd of fds) {
      let target = '';
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const bound = /^socket:\[(\d+)\]$/.exec(target) && sockets.get(target.slice(8, -1));
      if (bound) result.push({ pid, ...bound });
    }
  }
  return result;
}
