/**
 * Reads and writes one hosts file for the daemon: changes are serialized,
 * computed from what is on disk right before writing (an edit made by someone
 * else in between is kept, not overwritten), written atomically (temp file and
 * rename) with an in-place fallback where rename cannot work (bind mounts,
 * Windows locks), and preceded by a backup. The OS DNS cache is flushed after.
 */
import { execFile } from 'node:child_process';
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { copyElevated } from './elevatedCopy';

export function defaultHostsFile(): string {
  return process.platform === 'win32' ? path.join(process.env.SystemRoot ?? 'C:\\Windows', 'System32', 'drivers', 'etc', 'hosts') : '/etc/hosts';
}

/** The hosts file a request means: its own choice, the daemon's environment, or the OS's. */
export function resolveHostsFile(requested?: string | null): string {
  return path.resolve(requested || process.env.MULTISITE_LOCAL_HOSTS_FILE || defaultHostsFile());
}

export class HostsPermissionError extends Error {
  constructor(readonly file: string) {
    super(`${file} is on a read-only file system`);
  }
}

export interface HostsChange {
  file: string;
  before: string;
  after: string;
  changed: boolean;
}

const RENAME_IMPOSSIBLE = new Set(['EBUSY', 'EXDEV', 'EPERM', 'EACCES']);

function flushDnsCache(): void {
  // Best effort and never through a shell: fixed programs, fixed arguments.
  const commands: [string, string[]][] =
    process.platform === 'darwin'
      ? [['/usr/bin/dscacheutil', ['-flushcache']], ['/usr/bin/killall', ['-HUP', 'mDNSResponder']]]
      : process.platform === 'win32'
        ? [['ipconfig', ['/flushdns']]]
        : [['resolvectl', ['flush-caches']]];
  for (const [file, args] of commands) execFile(file, args, { timeout: 5000 }, () => undefined);
}

export class HostsFile {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly file: string,
    private readonly backupFile: string,
  ) {}

  async read(): Promise<string> {
    try {
      return await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
      throw error;
    }
  }

  /** Applies `transform` to the file's current text (one change at a time); `dryRun` only computes. */
  update(transform: (text: string) => string, dryRun = false): Promise<HostsChange> {
    const run = this.queue.then(() => this.updateNow(transform, dryRun));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async updateNow(transform: (text: string) => string, dryRun: boolean): Promise<HostsChange> {
    for (let attempt = 0; ; attempt++) {
      const before = await this.read();
      const after = transform(before);
      if (dryRun || after === before) return { file: this.file, before, after, changed: after !== before };
      // Someone else wrote the file since we read it: start again from their version.
      if ((await this.read()) !== before && attempt < 3) continue;
      await this.write(before, after);
      flushDnsCache();
      return { file: this.file, before, after, changed: true };
    }
  }

  private async write(before: string, after: string): Promise<void> {
    await writeFile(this.backupFile, before, { mode: 0o600 });
    let mode = 0o644;
    try {
      mode = (await stat(this.file)).mode & 0o777;
    } catch {
      // A new file gets the usual hosts file mode.
    }
    const temp = path.join(path.dirname(this.file), `.${path.basename(this.file)}.multisite-local-${process.pid}.tmp`);
    try {
      await writeFile(temp, after, { mode });
      await rename(temp, this.file);
      return;
    } catch (error) {
      await rm(temp, { force: true });
      if (!RENAME_IMPOSSIBLE.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
    }
    try {
      await writeFile(this.file, after); // in place: same inode, as a bind mount needs
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EROFS') throw new HostsPermissionError(this.file); // no prompt can help
      if (code !== 'EACCES' && code !== 'EPERM') throw error;
      // Not ours to write: one prompt for the whole change, staged in our own folder, one fixed copy.
      const staged = `${this.backupFile}.new`;
      await writeFile(staged, after, { mode: 0o644 });
      try {
        await copyElevated(staged, this.file);
      } finally {
        await rm(staged, { force: true });
      }
    }
  }
}
