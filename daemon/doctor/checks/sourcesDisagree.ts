/**
 * sources-disagree: the places that declare a site (settings, the environment,
 * the Sites table) say different things of it. The diagnostics are made where
 * the sources are merged (sites/siteConfig.ts); the doctor lists them as found.
 */
import type { ConfigDiagnostic, DoctorFinding } from '../../../protocol/protocol';
import type { DoctorCheck } from '../doctorCheck';

export function disagreementFindings(diagnostics: readonly ConfigDiagnostic[]): DoctorFinding[] {
  return diagnostics
    .filter((d) => d.code === 'sources-disagree')
    .map(({ severity, message, file, line }) => ({ code: 'sources-disagree' as const, severity, message, file, line }));
}

export const sourcesDisagree: DoctorCheck = {
  code: 'sources-disagree',
  run: (context) => Promise.resolve(disagreementFindings(context.config.diagnostics)),
};
