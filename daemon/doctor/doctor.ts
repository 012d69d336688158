/**
 * The doctor: every check run at once on one project, for one mode, and their
 * findings sorted errors first. It changes nothing; a check that fails is
 * itself reported (as information), and never hides the others' findings.
 */
import type { DoctorFinding, Severity } from '../protocol/protocol';
import { asClause } from '../sentence';
import type { DoctorCheck, DoctorContext } from './doctorCheck';
import { allowedHosts } from './checks/allowedHosts';
import { configError } from './checks/configError';
import { csrfTrustedOrigins } from './checks/csrfTrustedOrigins';
import { docker } from './checks/docker';
import { forcedSiteId } from './checks/forcedSiteId';
import { hostsFile } from './checks/hostsFile';
import { interpreter } from './checks/interpreter';
import { invalidDomain } from './checks/invalidDomain';
import { multisitePlusEmpty } from './checks/multisitePlusEmpty';
import { portTaken } from './checks/portTaken';
import { sharedDbDrift } from './checks/sharedDbDrift';
import { sitePort } from './checks/sitePort';
import { sourcesDisagree } from './checks/sourcesDisagree';
import { staleHostsEntries } from './checks/staleHostsEntries';
import { userHostsLines } from './checks/userHostsLines';

/** Every check, in the order findings of one severity are listed. */
export const CHECKS: readonly DoctorCheck[] = [
  configError,
  invalidDomain,
  forcedSiteId,
  sitePort,
  multisitePlusEmpty,
  allowedHosts,
  csrfTrustedOrigins,
  portTaken,
  interpreter,
  docker,
  hostsFile,
  staleHostsEntries,
  userHostsLines,
  sourcesDisagree,
  sharedDbDrift,
];

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Errors first, then warnings, then information; within one severity, in the checks' order. */
export function bySeverity(findings: readonly DoctorFinding[]): DoctorFinding[] {
  return [...findings].sort((a, b) => RANK[a.severity] - RANK[b.severity]);
}

async function runCheck(check: DoctorCheck, context: DoctorContext): Promise<DoctorFinding[]> {
  try {
    return await check.run(context);
  } catch (error) {
    const why = asClause(error instanceof Error ? error.message : String(error));
    return [{ code: check.code, severity: 'info', message: `The ${check.code} check could not run: ${why}.`, file: null, line: null }];
  }
}

export async function runDoctor(context: DoctorContext, checks: readonly DoctorCheck[] = CHECKS): Promise<DoctorFinding[]> {
  const found = await Promise.all(checks.map((check) => runCheck(check, context)));
  return bySeverity(found.flat());
}
