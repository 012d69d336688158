/**
 * `open SITE --browser`: hands an address the daemon made (never text a
 * person typed) to the desktop's browser opener, as an argument, no shell.
 */
import { spawn } from 'node:child_process';

const OPENER: Record<string, [string, string[]]> = {
  darwin: ['open', []],
  win32: ['explorer.exe', []],
};

/** Opens `url` (an http address) in the default browser; rejects with a sentence when no opener runs. */
export function openInBrowser(url: string): Promise<void> {
  if (!/^http:\/\/[a-z0-9.[\]:-]+\//i.test(url)) return Promise.reject(new Error(`Not an address to open: ${url}`));
  const [command, args] = OPENER[process.platform] ?? ['xdg-open', []];
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args, url], { stdio: 'ignore', detached: true });
    child.once('error', () => reject(new Error(`Could not run ${command} to open ${url}; open it yourself.`)));
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}
