/**
 * The daemon's log file, daemon.log in its home, kept under a size bound. The
 * client that starts the daemon opens that file as the daemon's stdout and
 * stderr (so a crash's stack trace lands in it too); the daemon writes its own
 * lines to the same file and rotates it at MAX_BYTES: copied to daemon.log.1,
 * then truncated in place. Renaming it instead would leave stdout and stderr,
 * descriptors Node cannot point elsewhere, writing to the old file. All of them
 * append (O_APPEND), so after the truncation every writer starts at the new end.
 */
import { closeSync, fstatSync, ftruncateSync, readSync, writeSync } from 'node:fs';
import type { DaemonHome } from '../../home/daemonHome';
import { localStamp } from '../../protocol/logClock';
import { openLog, writeFileAtomic } from '../../home/safeFile';

/** One previous file of this size is kept: enough for days of normal use, little on disk. */
export const MAX_BYTES = 1024 * 1024;

export class DaemonLog {
  constructor(
    private readonly fd: number,
    private readonly file: string,
    private readonly maxBytes = MAX_BYTES,
  ) {}

  /** The home's log, when it is this process's stdout (a daemon started by a client); null otherwise (started by hand). */
  static ofStdout(home: DaemonHome): DaemonLog | null {
    const fd = openLog(home.logFile, `The daemon's log ${home.logFile}`);
    const log = fstatSync(fd);
    let out;
    try {
      out = fstatSync(1);
    } catch {
      out = null; // no stdout at all
    }
    if (out && out.dev === log.dev && out.ino === log.ino) return new DaemonLog(fd, home.logFile);
    closeSync(fd);
    return null;
  }

  write(line: string): void {
    const text = `${line}\n`;
    // Before the line that would cross the bound, so that it starts the new file (stdout and stderr may have grown it too).
    const size = fstatSync(this.fd).size;
    if (size > 0 && size + Buffer.byteLength(text) > this.maxBytes) this.rotate();
    writeSync(this.fd, text);
  }

  private rotate(): void {
    let kept = `earlier lines are in ${this.file}.1`;
    try {
      const size = fstatSync(this.fd).size;
      const bytes = Buffer.alloc(size);
      const read = readSync(this.fd, bytes, 0, size, 0);
      writeFileAtomic(`${this.file}.1`, bytes.subarray(0, read));
    } catch (error) {
      kept = `earlier lines could not be kept: ${(error as Error).message}`;
    }
    // Even when the copy failed: a log that outgrows its bound is the worse failure.
    ftruncateSync(this.fd, 0);
    writeSync(this.fd, `${localStamp(Date.now())} [${process.pid}] log rotated at ${this.maxBytes} bytes; ${kept}\n`);
  }
}
