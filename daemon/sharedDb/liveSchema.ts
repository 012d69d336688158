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
import type { ProjectCode } from '../runners/projectCode';

const TIMEOUT_MS = 60_000;

/** `manage.py args`, journaled (runners/projectCode.ts): a database that never answers cannot keep it past the daemon. */
async function manage(projectCode: ProjectCode, python: string, root: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const run = await projectCode.run({
    python,
    args: ['manage.py', ...args],
    root,
    env: { ...process.env },
    timeoutMs: TIMEOUT_MS,
    label: `manage.py ${args[0]}`,
  });
  return { code: run.code ?? 1, stdout: run.stdout, stderr: run.stderr };
}

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
export async function readApplied(projectCode: ProjectCode, python: string, root: string): Promise<string[] | Error> {
  const result = await manage(projectCode, python, root, ['shell', '-c', APPLIED]);
  if (result.code !== 0) return new Error(result.stderr.trim().split('\n').pop() || `manage.py shell exited ${result.code}`);
  try {
    return appliedMigrations(result.stdout);
  } catch {
    return new Error('manage.py shell printed no list of migrations');
  }
}

/** Whether the project's models have changes that no migration holds (makemigrations exits 1 then). */
export async function modelsAhead(projectCode: ProjectCode, python: string, root: string): Promise<boolean> {
  return (await manage(projectCode, python, root, ['makemigrations', '--check', '--dry-run'])).code === 1;
}
