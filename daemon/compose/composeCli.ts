/**
 * The compose command line: `docker compose` (v2) or `docker-compose` (v1),
 * whichever this machine has, run without a shell; and whether a Docker Engine
 * answers it.
 */
import { execFile } from 'node:child_process';

export function run(file: string, args: string[], cwd: string, timeoutMs = 300_000): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) =>
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

/**
 * Whether a Docker Engine answers `docker info` within `timeoutMs`: null when it does, else why
 * not (the client's last line). A stopped engine makes the client wait, hence the bound.
 */
export async function dockerEngineProblem(timeoutMs: number): Promise<string | null> {
  const started = Date.now();
  const info = await run('docker', ['info', '--format', '{{.ServerVersion}}'], '/', timeoutMs);
  if (info.ok && info.stdout.trim() !== '') return null;
  if (Date.now() - started >= timeoutMs) return `docker info did not answer within ${timeoutMs / 1000} s`;
  return info.stderr.trim().split('\n').pop()?.trim() || 'docker info failed without a message';
}
