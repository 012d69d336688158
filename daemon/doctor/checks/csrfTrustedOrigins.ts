/**
 * csrf-trusted-origins (Django 4.0 and later): what would make POSTs, or the
 * server itself, fail because of CSRF_TRUSTED_ORIGINS.
 *
 * What really fails, by Django's rules (CsrfViewMiddleware._origin_verified):
 * a POST passes when its Origin equals `http://` + request.get_host(), and
 * get_host() is the Host header with its port. In hosts mode the browser sends
 * Origin `http://alpha.example:8000` with Host `alpha.example:8000` (both with
 * the port, or both without on 80), so POSTs pass whatever the port, without
 * CSRF_TRUSTED_ORIGINS; the Referer is checked on HTTPS only. Behind the
 * proxy, only host routing with USE_X_FORWARDED_HOST fails (see proxyNotes).
 * And Django 4.0+ refuses to start when an entry has no scheme (system check
 * 4_0.E001), in any mode.
 */
import * as path from 'node:path';
import type { DoctorFinding, RoutingMode, ServingStrategy } from '../../../protocol/protocol';
import { proxyNotesFor } from '../../proxy/proxyNotes';
import { listed } from '../../base/sentence';
import type { SiteConfig } from '../../sites/siteConfig';
import type { DoctorCheck } from '../doctorCheck';

/** Entries Django 4.0+ refuses at start: no `scheme://`. */
function withoutScheme(origins: readonly string[]): string[] {
  return origins.filter((origin) => !origin.includes('://'));
}

export function csrfFindings(config: SiteConfig, mode: RoutingMode, strategy: ServingStrategy, djangoMajor: number | null): DoctorFinding[] {
  if (djangoMajor === null || djangoMajor < 4) return [];
  const findings: DoctorFinding[] = [];
  const origins = config.servingFacts.csrfTrustedOrigins;
  const bare = origins ? withoutScheme(origins.value) : [];
  if (origins && bare.length > 0) {
    const where = `${path.relative(config.project.root, origins.file)}:${origins.line}`;
    findings.push({
      code: 'csrf-trusted-origins',
      severity: 'error',
      message: `CSRF_TRUSTED_ORIGINS (${where}) lists ${listed(bare.map((o) => JSON.stringify(o)))} without a scheme, which Django ${djangoMajor} refuses at start (system check 4_0.E001): write each with its scheme, as "http://${bare[0]}".`,
      file: origins.file,
      line: origins.line,
    });
  }
  if (mode === 'env' && strategy === 'host') {
    for (const note of proxyNotesFor(config, strategy, djangoMajor).filter((n) => n.code === 'csrf-trusted-origins')) {
      findings.push({ code: 'csrf-trusted-origins', severity: note.severity, message: note.message, file: note.file, line: note.line });
    }
  }
  return findings;
}

export const csrfTrustedOrigins: DoctorCheck = {
  code: 'csrf-trusted-origins',
  run: async (context) => csrfFindings(context.config, context.mode, context.strategy, await context.djangoMajor()),
};
