/**
 * The OS DNS cache, flushed after the hosts file changes so that the new
 * entries take effect at once (macOS and Windows cache answers; Linux only with
 * systemd-resolved).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';

/** systemd-resolved's client, looked for once: starting a program that is not there still costs a fork. */
const resolvectl = process.platform === 'linux' ? ['/usr/bin/resolvectl', '/bin/resolvectl'].find((file) => existsSync(file)) : undefined;

/** Asks the OS to forget cached names after a hosts change (best effort: nothing waits for it). */
export function flushDnsCache(): void {
  // Best effort and never through a shell: fixed programs, fixed arguments.
  const commands: [string, string[]][] =
    process.platform === 'darwin'
      ? [
          ['/usr/bin/dscacheutil', ['-flushcache']],
          ['/usr/bin/killall', ['-HUP', 'mDNSResponder']],
        ]
      : process.platform === 'win32'
        ? [['ipconfig', ['/flushdns']]]
        : resolvectl
          ? [[resolvectl, ['flush-caches']]]
          : [];
  for (const [file, args] of commands) execFile(file, args, { timeout: 5000 }, () => undefined);
}
