/**
 * A small JSON list on disk, replaced atomically (temp file + rename), mode
 * 0600. The daemon's journals use it to record a change to the outside world
 * before making it, so that a crash never loses track of what to undo.
 */
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../../home/safeFile';

export class JsonJournal<T> {
  constructor(private readonly file: string) {}

  read(): T[] {
    try {
      const parsed: unknown = JSON.parse(readFileSync(this.file, 'utf8'));
      return Array.isArray(parsed) ? (parsed as T[]) : [];
    } catch {
      return [];
    }
  }

  write(entries: T[]): void {
    writeFileAtomic(this.file, JSON.stringify(entries, null, 2));
  }

  /** Replaces the entries matching `same` with `entry`. */
  put(entry: T, same: (a: T, b: T) => boolean): void {
    this.write([...this.read().filter((e) => !same(e, entry)), entry]);
  }

  remove(matches: (entry: T) => boolean): void {
    this.write(this.read().filter((e) => !matches(e)));
  }
}
