/**
 * What the database and the models say, beyond the migration files: the
 * migrations the (shared) database has applied, read from its
 * django_migrations table with the project's own `manage.py shell` (not
 * `showmigrations`, which lists only the migrations the project's files know),
 * and whether its models have changes no migration holds
 * (`makemigrations --check --dry-run`). Both run the project's
 * code and read its database without writing, so only where the code may run,
 * and only for the doctor (a start compares the files alone, to stay fast).
 */
import { howItEnded } from '../runners/projectCode';
import type { ProjectCode, ProjectCodeOutput } from '../runners/projectCode';
import { lastLine } from '../base/sentence';

const TIMEOUT_MS = 60_000;

/** `manage.py args`, journaled (runners/projectCode.ts): a database that never answers cannot keep it past the daemon. */
function manage(projectCode: ProjectCode, python: string, root: string, args: string[], timeoutMs: number): Promise<ProjectCodeOutput> {
  return projectCode.run({ python, args: ['manage.py', ...args], root, env: { ...process.env }, timeoutMs, label: `manage.py ${args[0]}` });
}

/** Whether `run` ended by itself with `code` (not stopped, not failed to start). */
const exitedWith = (run: ProjectCodeOutput, code: number): boolean => run.error === null && run.stopped === null && run.code === code;

/** Prints the applied migrations as a JSON list of `app.name`; the recorder only reads its table. */
const APPLIED = [
  'import json',
  'from django.db import connection',
  'from django.db.migrations.recorder import MigrationRecorder',
  'print(json.dumps(sorted("%s.%s" % key for key in MigrationRecorder(connection).applied_migrations())))',
].join('; ');

/** The `app.name` list `manage.py shell -c APPLIED` printed last. */
export function appliedMigrations(stdout: string): string[] {
  const parsed: unknown = JSON.parse(stdout.trim().split('\n').pop() ?? '[]');
  return Array.isArray(parsed) ? parsed.filter((m): m is string => typeof m === 'string') : [];
}

/** The migrations the project's database has applied, or an Error saying why they could not be read. */
export async function readApplied(projectCode: ProjectCode, python: string, root: string, timeoutMs = TIMEOUT_MS): Promise<string[] | Error> {
  const result = await manage(projectCode, python, root, ['shell', '-c', APPLIED], timeoutMs);
  if (!exitedWith(result, 0)) return new Error(lastLine(result.stderr) ?? `manage.py shell ${howItEnded(result, timeoutMs)}`);
  try {
    return appliedMigrations(result.stdout);
  } catch {
    return new Error('manage.py shell printed no list of migrations');
  }
}

/**
 * Whether the project's models have changes that no migration holds: makemigrations exits 1 then. Only its
 * own exit says so: one stopped on its timeout, killed, or never started says nothing about the models.
 */
export async function modelsAhead(projectCode: ProjectCode, python: string, root: string, timeoutMs = TIMEOUT_MS): Promise<boolean> {
  return exitedWith(await manage(projectCode, python, root, ['makemigrations', '--check', '--dry-run'], timeoutMs), 1);
}
