/**
 * A fixture project of a framework stand-in (test/fixtures/frameworks) on real
 * Django: a private copy set up by the fixture's own setup.sh, and its
 * runserver on a free port in its own process group, stopped by that group.
 */
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { choosePort } from '../../daemon/runners/freePort';
import { killGroup } from '../../daemon/base/processGroup';
import { FIXTURES, copyProject } from './demoProject';
import { requestVia } from './http';

export const FRAMEWORKS = path.join(FIXTURES, 'frameworks');

/**
 * process.env without what would pick a site or settings for the project (a developer's shell may set them),
 * and with no bytecode written: the stand-ins are imported from the repository itself.
 */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (/^(SITE_ID|DJANGO_)/.test(name)) delete env[name];
  return { ...env, PYTHONDONTWRITEBYTECODE: '1', ...extra };
}

/** A copy of test/fixtures/`fixture`, set up by its setup.sh (venv, migrate, sites). */
export function setUpCopy(fixture: string): Promise<string> {
  const dir = copyProject(path.join(FIXTURES, fixture), false);
  const env = cleanEnv({ MULTISITE_FIXTURE_FRAMEWORKS: FRAMEWORKS });
  return new Promise((resolve, reject) =>
    execFile('sh', [path.join(dir, 'setup.sh'), dir], { env, timeout: 180_000 }, (error, _stdout, stderr) =>
      error ? reject(new Error(`setup.sh of ${fixture} failed: ${error.message}\n${stderr}`)) : resolve(dir),
    ),
  );
}

/** Runs the copy's venv Python with `args`; resolves to stdout, or rejects with stderr. */
export function venvPython(dir: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(path.join(dir, '.venv', 'bin', 'python'), args, { cwd: dir, env: cleanEnv(env), timeout: 60_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
    ),
  );
}

export interface RunningServer {
  port: number;
  output(): string;
  stop(): Promise<void>;
}

/** `manage.py runserver 127.0.0.1:<free port>` in the copy with `env`, once it answers. */
export async function startRunserver(dir: string, env: NodeJS.ProcessEnv): Promise<RunningServer> {
  for (let attempt = 1; ; attempt++) {
    const port = await choosePort(20000 + Math.floor(Math.random() * 20000));
    const child = spawn(path.join(dir, '.venv', 'bin', 'python'), ['manage.py', 'runserver', `127.0.0.1:${port}`, '--noreload'], {
      cwd: dir,
      env: cleanEnv(env),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const server: RunningServer = { port, output: () => text, stop: () => stopGroup(child) };
    if (await answers(child, port)) return server;
    await server.stop();
    // Another process took the port between choosing and binding: choose again.
    if (!/already in use/.test(text) || attempt === 3) throw new Error(`runserver in ${dir} did not answer:\n${text}`);
  }
}

async function answers(child: ChildProcess, port: number): Promise<boolean> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && child.exitCode === null && child.signalCode === null) {
    try {
      await requestVia(port, 'localhost', '/');
      return true;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return false;
}

async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.pid !== undefined) await killGroup(child.pid, 3000);
}

/** Removes a copy made by setUpCopy. */
export function removeCopy(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}
