/**
 * Replaces a small file of the daemon's (discovery file, lock, journals) in one
 * step: written to a temp file beside it, then renamed over it, so a reader
 * (or a crash) never sees half of it. Readable by its owner only.
 */
import { renameSync, writeFileSync } from 'node:fs';

export function writeFileAtomic(file: string, text: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, text, { mode: 0o600 });
  renameSync(temp, file);
}
