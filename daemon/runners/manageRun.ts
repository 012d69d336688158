/**
 * A `manage.py` command run for a person (migrate, the populate commands of
 * django-multisite-plus), its output streamed line by line to the project's
 * log as it comes (a long run shows progress) and its tail kept for the
 * reply. No shell: the command is a file and arguments. With the project's
 * interpreter it is a run of the project's code like the ask-Django read
 * (projectCode.ts): own process group, journaled, so a daemon killed while it
 * hangs leaves nothing running; under compose it runs in the web service.
 */
import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { composeManageCommand } from '../compose/composeManage';
import type { Command } from '../compose/composeManage';
import { lastLine } from '../base/sentence';
import type { ProjectCode } from './projectCode';
import type { RunnerKind } from './runner';

const KEPT_BYTES = 64 * 1024;

/** What runs it: the project's interpreter (`local`, journaled like a server), or compose's CLI in the web service. */
export type ManageCommand = Command & { local: boolean };

/** `manage.py <args>` with the project's interpreter, or in its web service under the compose runner. */
export async function manageCommand(runner: RunnerKind, root: string, python: () => Promise<string>, args: readonly string[]): Promise<ManageCommand> {
  if (runner === 'compose') return { ...(await composeManageCommand(root, args)), local: false };
  return { file: await python(), args: ['manage.py', ...args], cwd: root, local: true };
}

export interface ManageRun {
  code: number | null;
  output: string;
  /** The last line of the output, which says why when it failed. */
  lastLine: string | null;
}

export interface ManageSpec {
  /** What runs, for the next daemon's log ("manage.py migrate"). */
  label: string;
  /** A hung run must still end; a migration can take long on a big database. */
  timeoutMs: number;
}

interface Started {
  child: ChildProcessByStdio<null, Readable, Readable>;
  ended: Promise<{ code: number | null; error: Error | null }>;
}

/**
 * Under compose the project's code runs in a one-off container that compose removes (`run --rm`); the
 * CLI here runs none of it, so it is spawned as any command, stopped when it takes too long.
 */
function spawnCompose(command: Command, env: NodeJS.ProcessEnv, timeoutMs: number): Started {
  const child = spawn(command.file, command.args, { cwd: command.cwd, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
  const ended = new Promise<{ code: number | null; error: Error | null }>((resolve) => {
    child.on('error', (error) => resolve({ code: null, error }));
    child.on('close', (code) => resolve({ code, error: null }));
  });
  return { child, ended };
}

export async function runManage(
  projectCode: ProjectCode,
  command: ManageCommand,
  spec: ManageSpec,
  log: (stream: 'stdout' | 'stderr', text: string) => void,
): Promise<ManageRun> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.SITE_ID; // these commands are about the database, not one site
  const { child, ended } = command.local
    ? projectCode.start({ python: command.file, args: command.args, root: command.cwd, env, timeoutMs: spec.timeoutMs, label: spec.label, graceMs: 5000 })
    : spawnCompose(command, env, spec.timeoutMs);
  let output = '';
  // A line may arrive in two chunks: each stream keeps its unfinished line until the rest comes.
  const partial = { stdout: '', stderr: '' };
  const collect = (stream: 'stdout' | 'stderr') => (text: string) => {
    const lines = (partial[stream] + text).split('\n');
    partial[stream] = lines.pop() ?? '';
    for (const line of lines) log(stream, line);
    output = (output + text).slice(-KEPT_BYTES);
  };
  // Decoded by the streams, so a character split between two chunks stays whole.
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', collect('stdout'));
  child.stderr.on('data', collect('stderr'));
  const { code, error } = await ended;
  if (error) return { code: null, output, lastLine: error.message };
  for (const stream of ['stdout', 'stderr'] as const) if (partial[stream]) log(stream, partial[stream]);
  return { code, output, lastLine: lastLine(output) };
}
