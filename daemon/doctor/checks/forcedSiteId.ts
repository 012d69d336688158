/**
 * forced-site-id: the project forces SITE_ID (a settings literal, `.env-local`,
 * the compose environment) while the mode checked needs the request's Host to
 * pick the site: hosts mode, or the local proxy's host routing. Every request
 * is then served as that one site. The sentence is hosts mode's own warning.
 * Not where Django says the framework picks the site by Host itself
 * (django-tenants' `SITE_ID = 1` serves contrib.sites only; Wagtail ignores
 * it; django-multisite's SiteID is only the default outside requests).
 */
import * as path from 'node:path';
import { forcedSiteIdWarning } from '../../hosts/hostsModeWarnings';
import type { DoctorFinding, RoutingMode, ServingStrategy, SitesResult } from '../../protocol/protocol';
import type { DjangoFacts } from '../../sites/djangoFacts';
import { hostPicks } from '../../sites/frameworkRouting';
import type { DoctorCheck } from '../doctorCheck';

export function forcedSiteIdFindings(
  config: SitesResult,
  root: string,
  mode: RoutingMode,
  strategy: ServingStrategy,
  django: DjangoFacts | null = null,
): DoctorFinding[] {
  const forced = config.forcedSiteId;
  if (!forced || hostPicks(django)) return [];
  if (mode === 'hosts') {
    const warning = forcedSiteIdWarning(config, root);
    if (!warning) return [];
    const { message, file, line } = warning;
    // Leaving hosts mode is the one remedy that is always safe; removing the setting is the person's call.
    return [{ code: 'forced-site-id', severity: 'error', message, file, line, fix: { kind: 'useEnvMode', title: 'Use SITE_ID Mode' } }];
  }
  if (strategy !== 'host') return [];
  return [
    {
      code: 'forced-site-id',
      severity: 'warning',
      message: `${path.relative(root, forced.file)}:${forced.line} forces SITE_ID=${forced.value}, so the local proxy's host routing serves every site as that one: remove it there, or read SITE_ID from the environment so each site is served with its own.`,
      file: forced.file,
      line: forced.line,
    },
  ];
}

export const forcedSiteId: DoctorCheck = {
  code: 'forced-site-id',
  run: (context) => Promise.resolve(forcedSiteIdFindings(context.config, context.root, context.mode, context.strategy, context.config.django)),
};
