/**
 * multisite-plus-empty: django-multisite-plus is installed (0.7.2 or later) and
 * its table of sites is empty, so Django knows none of the sites the settings
 * declare (its middleware finds no Alias for their domains). The diagnostic is
 * made where Django's answer is merged (sites/siteConfig.ts); the fix is
 * Populate Sites, what a deployment runs.
 */
import type { ConfigDiagnostic, DoctorFinding } from '../../../protocol/protocol';
import type { DoctorCheck } from '../doctorCheck';

export function emptyTableFindings(diagnostics: readonly ConfigDiagnostic[]): DoctorFinding[] {
  return diagnostics
    .filter((d) => d.code === 'multisite-plus-empty')
    .map(({ severity, message, file, line }) => ({
      code: 'multisite-plus-empty' as const,
      severity,
      message,
      file,
      line,
      fix: { kind: 'populateSites' as const, title: 'Populate Sites' },
    }));
}

export const multisitePlusEmpty: DoctorCheck = {
  code: 'multisite-plus-empty',
  run: (context) => Promise.resolve(emptyTableFindings(context.config.diagnostics)),
};
