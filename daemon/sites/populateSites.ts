/**
 * Populate Sites: django-multisite-plus's commands run as its deployment runs
 * them (multisitePlusPopulate.ts), `multisite_plus_populate_sites` and then,
 * once that succeeded, `multisite_plus_rewrite_domains`, each a manage.py
 * command run for a person (runners/manageRun.ts: journaled, streamed line by
 * line to the project's log, in the web service under compose).
 */
import type { LogLine } from '../../protocol/protocol';
import { runManage } from '../runners/manageRun';
import type { ManageCommand, ManageRun } from '../runners/manageRun';
import type { ProjectCode } from '../runners/projectCode';
import { POPULATE_COMMANDS } from './multisitePlusPopulate';

/** Thousands of sites are written in seconds; a run that hangs (a database that never answers) must still end. */
const TIMEOUT_MS = 10 * 60_000;

export interface PopulateRun extends ManageRun {
  /** The command that ran last: the one that failed, when one did. */
  command: string;
}

export async function runPopulate(
  projectCode: ProjectCode,
  commandFor: (args: readonly string[]) => Promise<ManageCommand>,
  log: (stream: LogLine['stream'], text: string) => void,
): Promise<PopulateRun> {
  const step = async (name: string): Promise<PopulateRun> => {
    const command = await commandFor([name]);
    log('daemon', `Running manage.py ${name}`);
    return { ...(await runManage(projectCode, command, { label: `manage.py ${name}`, timeoutMs: TIMEOUT_MS }, log)), command: `manage.py ${name}` };
  };
  const [populate, rewrite] = POPULATE_COMMANDS;
  const first = await step(populate);
  if (first.code !== 0) return first;
  const second = await step(rewrite);
  return { ...second, output: first.output + second.output };
}
