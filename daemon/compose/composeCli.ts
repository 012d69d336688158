/**
 * The compose command line: `docker compose` (v2) or `docker-compose` (v1),
 * whichever this machine has, run without a shell.
 */
import { execFile } from 'node:child_process';

export function run(file: string, args: string[], cwd: string): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd, timeout: 300_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ ok: !error, stdout, stderr: stderr || (error?.message ?? '') }),
    );
  });
}

let composeCli: Promise<string[] | null> | null = null;

/** `docker compose` (v2) when the plugin exists, else `docker-compose` (v1), else null. */
export function findComposeCli(): Promise<string[] | null> {
  composeCli ??= (async () => {
    if ((await run('docker', ['compose', 'version'], '/')).ok) return ['docker', 'compose'];
    if ((await run('docker-compose', ['version', '--short'], '/')).ok) return ['docker-compose'];
    return null;
  })();
  return composeCli;
}
