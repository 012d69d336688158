/**
 * site-port: a site whose framework picks it by the port the request came to
 * (a Wagtail Site on :8081), which the local proxy can only name in
 * X-Forwarded-Port: Django reads that header only with
 * USE_X_FORWARDED_PORT = True, so without it every request for the site is
 * answered by another (Wagtail's default site, with 200: a wrong routing
 * that fails silently). One finding per such site, naming it and the setting.
 */
import type { DoctorFinding, ServingStrategy } from '../../../protocol/protocol';
import type { DjangoFacts } from '../../sites/djangoFacts';
import type { DoctorCheck } from '../doctorCheck';

export function sitePortFindings(facts: DjangoFacts | null, strategy: ServingStrategy): DoctorFinding[] {
  if (!facts || strategy !== 'host' || facts.settings.useXForwardedPort) return [];
  const module = facts.settingsModule ?? 'the settings';
  return (facts.sites.wagtail ?? [])
    .filter((site) => site.port !== 80)
    .map((site) => ({
      code: 'site-port' as const,
      severity: 'warning' as const,
      message: `Wagtail site ${site.siteName ?? site.hostname} (${site.hostname}:${site.port}) cannot be reached through the local proxy: Wagtail picks it by the port a request came to, which the proxy can only name in X-Forwarded-Port, and Django reads that only with USE_X_FORWARDED_PORT = True; set it in ${module} for local development.`,
      file: null,
      line: null,
    }));
}

export const sitePort: DoctorCheck = {
  code: 'site-port',
  run: (context) => Promise.resolve(sitePortFindings(context.config.django, context.strategy)),
};
