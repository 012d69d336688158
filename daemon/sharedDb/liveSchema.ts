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
import { execFile } from 'node:child_process';

const TIMEOUT_MS = 60_000;

function manage(python: string, root: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(python, ['manage.py', ...args], { cwd: root, timeout: TIMEOUT_MS, maxBuffer: 8 << 20 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
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
export async function readApplied(python: string, root: string): Promise<string[] | Error> {
  const result = await manage(python, root, ['shell', '-c', APPLIED]);
  if (result.code !== 0) return new Error(result.stderr.trim().split('\n').pop() || `manage.py shell exited ${result.code}`);
  try {
    return appliedMigrations(result.stdout);
  } catch {
    return new Error('manage.py shell printed no list of migrations');
  }
}

/** Whether the project's models have changes that no migration holds (makemigrations exits 1 then). */
export async function modelsAhead(python: string, root: string): Promise<boolean> {
  return (await manage(python, root, ['makemigrations', '--check', '--dry-run'])).code === 1;
}
