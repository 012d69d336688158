/**
 * The doctor: every check run at once on one project, for one mode, and their
 * findings sorted errors first. It changes nothing; a check that fails is
 * itself reported (as information), and never hides the others' findings.
 */
import type { DoctorFinding, DoctorNotRun, Severity } from '../../protocol/protocol';
import { asClause, endSentence } from '../base/sentence';
import { CheckNotRun } from './doctorCheck';
import type { DoctorCheck, DoctorContext } from './doctorCheck';
import { allowedHosts } from './checks/allowedHosts';
import { configError } from './checks/configError';
import { csrfTrustedOrigins } from './checks/csrfTrustedOrigins';
import { database } from './checks/database';
import { djangoChecks } from './checks/djangoChecks';
import { djangoSetup } from './checks/djangoSetup';
import { docker } from './checks/docker';
import { forcedSiteId } from './checks/forcedSiteId';
import { hostsFile } from './checks/hostsFile';
import { interpreter } from './checks/interpreter';
import { invalidDomain } from './checks/invalidDomain';
import { multisitePlusEmpty } from './checks/multisitePlusEmpty';
import { noSites } from './checks/noSites';
import { portTaken } from './checks/portTaken';
import { sharedDbDrift } from './checks/sharedDbDrift';
import { siteAtImport } from './checks/siteAtImport';
import { sitePort } from './checks/sitePort';
import { sourcesDisagree } from './checks/sourcesDisagree';
import { staleHostsEntries } from './checks/staleHostsEntries';
import { userHostsLines } from './checks/userHostsLines';

/** Every check, in the order findings of one severity are listed. */
export const CHECKS: readonly DoctorCheck[] = [
  configError,
  djangoSetup,
  database,
  noSites,
  invalidDomain,
  forcedSiteId,
  siteAtImport,
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
  djangoChecks,
];

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Errors first, then warnings, then information; within one severity, in the checks' order. */
export function bySeverity(findings: readonly DoctorFinding[]): DoctorFinding[] {
  return [...findings].sort((a, b) => RANK[a.severity] - RANK[b.severity]);
}

/** What the doctor found, and the checks that could not run. */
export interface DoctorResult {
  findings: DoctorFinding[];
  notRun: DoctorNotRun[];
}

async function runCheck(check: DoctorCheck, context: DoctorContext): Promise<DoctorResult> {
  try {
    return { findings: await check.run(context), notRun: [] };
  } catch (error) {
    // A check that failed found nothing: it did not run, and says why, so "no problems" is never said for it.
    const why = error instanceof CheckNotRun ? endSentence(error.message) : `It failed: ${asClause(error instanceof Error ? error.message : String(error))}.`;
    return { findings: [], notRun: [{ code: check.code, reason: why }] };
  }
}

export async function runDoctor(context: DoctorContext, checks: readonly DoctorCheck[] = CHECKS): Promise<DoctorResult> {
  const results = await Promise.all(checks.map((check) => runCheck(check, context)));
  return { findings: bySeverity(results.flatMap((r) => r.findings)), notRun: results.flatMap((r) => r.notRun) };
}
