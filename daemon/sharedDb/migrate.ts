/**
 * `manage.py migrate` run for a person, its output streamed line by line to
 * the project's log as it comes (a long migration shows progress) and its
 * tail kept for the reply. No shell: the command is a file and arguments.
 */
import { spawn } from 'node:child_process';
import { composeManageCommand } from '../compose/composeManage';
import type { Command } from '../compose/composeManage';
import type { RunnerKind } from '../runners/runner';
import { lastLine } from '../sentence';

/** Migrations can take long on a big database; a hung one must still end. */
const TIMEOUT_MS = 30 * 60_000;
const KEPT_BYTES = 64 * 1024;

const MIGRATE_ARGS = ['migrate', '--noinput'];

/** The project's interpreter runs it, or its web service under the compose runner. */
export async function migrateCommand(runner: RunnerKind, root: string, python: () => Promise<string>): Promise<Command> {
  if (runner === 'compose') return composeManageCommand(root, MIGRATE_ARGS);
  return { file: await python(), args: ['manage.py', ...MIGRATE_ARGS], cwd: root };
}

export interface MigrateRun {
  code: number | null;
  output: string;
  /** The last line of the output, which says why when it failed. */
  lastLine: string | null;
}

export function runMigrate(command: Command, log: (stream: 'stdout' | 'stderr', text: string) => void): Promise<MigrateRun> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.SITE_ID; // migrate is about the database, not one site
    const child = spawn(command.file, command.args, { cwd: command.cwd, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: TIMEOUT_MS });
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
    child.on('error', (error) => resolve({ code: null, output, lastLine: error.message }));
    child.on('close', (code) => {
      for (const stream of ['stdout', 'stderr'] as const) if (partial[stream]) log(stream, partial[stream]);
      resolve({ code, output, lastLine: lastLine(output) });
    });
  });
}
