/**
 * invalid-domain: a configured domain is no domain (sites/domainGate.ts says
 * why, where it is configured). The site is listed without it either way; in
 * hosts mode it is an error, because no hosts entry is written for the project
 * until it is fixed (sites/configGate.ts).
 */
import type { DoctorFinding, RoutingMode, SitesResult } from '../../../protocol/protocol';
import { refusedDomains } from '../../sites/configGate';
import type { DoctorCheck } from '../doctorCheck';

export function invalidDomainFindings(config: Pick<SitesResult, 'diagnostics'>, mode: RoutingMode): DoctorFinding[] {
  const severity = mode === 'hosts' ? 'error' : 'warning';
  return refusedDomains(config).map(({ message, file, line }) => ({ code: 'invalid-domain' as const, severity, message, file, line }));
}

export const invalidDomain: DoctorCheck = {
  code: 'invalid-domain',
  run: (context) => Promise.resolve(invalidDomainFindings(context.config, context.mode)),
};
