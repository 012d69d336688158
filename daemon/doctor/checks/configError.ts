/**
 * config-error: the project's config has an error that keeps it from being
 * served at all (settings Python refuses, JSON that does not parse, two sites
 * with one id, a multisite.json that cannot be used). The diagnostics are made
 * where the sources are read (sites/siteConfig.ts); switching and hosts
 * entries are refused until they are fixed (sites/configGate.ts).
 */
import type { DoctorFinding, SitesResult } from '../../../protocol/protocol';
import { configErrors } from '../../sites/configGate';
import type { DoctorCheck } from '../doctorCheck';

export function configErrorFindings(config: Pick<SitesResult, 'diagnostics'>): DoctorFinding[] {
  return configErrors(config).map(({ message, file, line }) => ({ code: 'config-error' as const, severity: 'error' as const, message, file, line }));
}

export const configError: DoctorCheck = {
  code: 'config-error',
  run: (context) => Promise.resolve(configErrorFindings(context.config)),
};
