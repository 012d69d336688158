/**
 * The answer to RunDoctor: the project's facts (for the mode asked about, judged on Django's answer
 * when one is on its way), what the daemon knows beside them (hosts entries, the other open projects,
 * who shares the database), the checks run together, and the interpreter the checks found.
 */
import { DaemonError } from '../base/daemonError';
import { DaemonErrorCode } from '../../protocol/protocol';
import type { DoctorParams, DoctorReport } from '../../protocol/protocol';
import { runDoctor } from '../doctor/doctor';
import { doctorContext } from '../doctor/doctorContext';
import type { HostsEntries } from '../hosts/hostsEntries';
import { requestedHostsFile } from '../hosts/hostsFile';
import type { SharedDatabases } from '../sharedDb/sharedDatabases';
import type { ProjectSession } from '../session/projectSession';

export interface DoctorRequestContext {
  hosts: HostsEntries;
  shared: SharedDatabases;
  /** The open project at `root` (a sentence when it is not open). */
  session(root: unknown): Promise<ProjectSession>;
  /** The folders of every project open in the daemon. */
  openRoots(): Set<string>;
}

export async function doctorRequest(context: DoctorRequestContext, { root, mode, hostsFile, sharedWith }: DoctorParams): Promise<DoctorReport> {
  if (mode != null && mode !== 'env' && mode !== 'hosts')
    throw new DaemonError(DaemonErrorCode.BadRequest, `Unknown mode "${String(mode)}": use env or hosts.`);
  if (sharedWith != null && (!Array.isArray(sharedWith) || sharedWith.some((d) => typeof d !== 'string' || d === '')))
    throw new DaemonError(DaemonErrorCode.BadRequest, '"sharedWith" must be a list of project folders.');
  const session = await context.session(root);
  // Judged on Django's answer when one is on its way (an open that showed the files' sites first).
  await session.doctorFacts().sites.settled();
  const facts = session.doctorFacts(mode ?? undefined);
  const daemon = {
    hosts: context.hosts,
    projectCode: session.projectCode,
    hostsFile: requestedHostsFile(hostsFile),
    openRoots: context.openRoots(),
    sharedWith: () => context.shared.sharedWith(session.database, sharedWith ?? []),
  };
  const checked = doctorContext(facts, daemon);
  const { findings, notRun } = await runDoctor(checked);
  // The interpreter check found it (or why none): shared with the check, not probed again.
  const found = checked.trusted ? await checked.interpreter().catch(() => null) : null;
  const interpreter = found ? { path: found.path, origin: found.origin, djangoVersion: found.djangoVersion } : null;
  return { project: facts.config.project, mode: facts.mode, findings, notRun, interpreter };
}
