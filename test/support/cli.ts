/** Runs the bundled CLI (dist/cli.js) as a user would, with a private daemon home. */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { REPO_ROOT } from './demoProject';

export const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv, cwd = REPO_ROOT): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

export async function runCliJson<T>(args: string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<T> {
  const result = await runCli([...args, '--json'], env, cwd);
  if (result.code !== 0) throw new Error(`multisite-local ${args.join(' ')} exited ${result.code}: ${result.stderr || result.stdout}`);
  return JSON.parse(result.stdout) as T;
}
