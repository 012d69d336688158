/**
 * Reading Linux's /proc, synchronously: its files are made by the kernel on the spot, never wait on
 * a disk, and take microseconds each, while a look at a server's processes (thirty-odd reads), each
 * read a round trip through libuv's thread pool, took 10-15 ms, every one of them between a new
 * server's first answer and its switch's (npm run bench, figure 8). A process that is gone, or that
 * may not be looked into, reads as empty.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export function procList(folder: string): string[] {
  try {
    return readdirSync(folder);
  } catch {
    return [];
  }
}

export function procText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

export function procLink(link: string): string {
  try {
    return readlinkSync(link);
  } catch {
    return '';
  }
}
