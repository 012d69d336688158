/**
 * `manage.py migrate` run for a person: a manage.py command like any other
 * run for one (runners/manageRun.ts: streamed to the project's log line by
 * line, journaled with the project's interpreter, in the web service under
 * compose), with a timeout long enough for a big database.
 */
import type { ProjectCode } from '../runners/projectCode';
import { manageCommand, runManage } from '../runners/manageRun';
import type { ManageCommand, ManageRun } from '../runners/manageRun';
import type { RunnerKind } from '../runners/runner';

/** Migrations can take long on a big database; a hung one must still end. */
const TIMEOUT_MS = 30 * 60_000;

const MIGRATE_ARGS = ['migrate', '--noinput'];

export type MigrateCommand = ManageCommand;
export type MigrateRun = ManageRun;

/** The project's interpreter runs it, or its web service under the compose runner. */
export function migrateCommand(runner: RunnerKind, root: string, python: () => Promise<string>): Promise<MigrateCommand> {
  return manageCommand(runner, root, python, MIGRATE_ARGS);
}

export function runMigrate(projectCode: ProjectCode, command: MigrateCommand, log: (stream: 'stdout' | 'stderr', text: string) => void): Promise<MigrateRun> {
  return runManage(projectCode, command, { label: 'manage.py migrate', timeoutMs: TIMEOUT_MS }, log);
}
