/**
 * forced-site-id: the project forces SITE_ID (a settings literal, `.env-local`,
 * the compose environment). In hosts mode every request is then served as that
 * one site (the sentence is hosts mode's own warning); in SITE_ID mode, unless
 * the settings read SITE_ID from the environment, so is every switch: an
 * error naming the line to change.
 * Not where Django says the framework picks the site by Host itself
 * (django-tenants' `SITE_ID = 1` serves contrib.sites only; Wagtail ignores
 * it; django-multisite's SiteID is only the default outside requests), nor,
 * without Django's answer, where the settings name django-tenants or Wagtail
 * (servingFacts.ts). A literal in a branch chosen by SITE_ID in the
 * environment is no forced SITE_ID at all (sites/environmentBranch.ts).
 */
import * as path from 'node:path';
import { forcedSiteIdWarning } from '../../hosts/hostsModeWarnings';
import type { DoctorFinding, RoutingMode, ServingStrategy } from '../../../protocol/protocol';
import type { DjangoFacts } from '../../sites/djangoFacts';
import type { SiteConfig } from '../../sites/siteConfig';
import { hostPicks, siteIdPicksNothing } from '../../sites/frameworkRouting';
import type { DoctorCheck } from '../doctorCheck';

/**
 * A SITE_ID that is only the default when the environment sets none: SITE_ID mode starts each
 * server with its own, so nothing to say; hosts mode (and the proxy's host routing) start one
 * server without it, which then serves every request as that default site.
 */
function defaultSiteIdFindings(config: SiteConfig, root: string, mode: RoutingMode, strategy: ServingStrategy): DoctorFinding[] {
  const fallback = config.servingFacts.siteIdDefault;
  if (!fallback || (mode !== 'hosts' && strategy !== 'host')) return [];
  const where = `${path.relative(root, fallback.file)}:${fallback.line}`;
  const served = mode === 'hosts' ? 'hosts mode starts the server without SITE_ID' : "the proxy's host routing starts one server without SITE_ID";
  return [
    {
      code: 'forced-site-id',
      severity: 'error',
      message: `${where} sets SITE_ID=${fallback.value} when the environment sets none (the branch at line ${fallback.branchLine}), and ${served}, so every request is served as site ${fallback.value} whatever its domain: leave SITE_ID unset in that branch to let the Host header choose.`,
      file: fallback.file,
      line: fallback.line,
      ...(mode === 'hosts' ? { fix: { kind: 'useEnvMode' as const, title: 'Leave Hosts Mode' } } : {}),
    },
  ];
}

export function forcedSiteIdFindings(
  config: SiteConfig,
  root: string,
  mode: RoutingMode,
  strategy: ServingStrategy,
  django: DjangoFacts | null = null,
): DoctorFinding[] {
  const forced = config.forcedSiteId;
  if (hostPicks(django) || siteIdPicksNothing(django, Boolean(config.servingFacts.siteIdUnused))) return [];
  if (!forced) return defaultSiteIdFindings(config, root, mode, strategy);
  if (mode === 'hosts') {
    const warning = forcedSiteIdWarning(config, root);
    if (!warning) return [];
    const { message, file, line } = warning;
    // Leaving hosts mode is the one remedy that is always safe; removing the setting is the person's call.
    return [{ code: 'forced-site-id', severity: 'error', message, file, line, fix: { kind: 'useEnvMode', title: 'Leave Hosts Mode' } }];
  }
  // Where the settings read SITE_ID from the environment, the SITE_ID each server is started with wins.
  if (strategy !== 'host' && config.servingFacts.siteIdFromEnvironment) return [];
  return [
    {
      code: 'forced-site-id',
      severity: 'error',
      message: `${path.relative(root, forced.file)}:${forced.line} forces SITE_ID=${forced.value} and nothing picks the site by the request's Host, so every site is served as site ${forced.value} and switching cannot work: remove it there, or read SITE_ID from the environment (SITE_ID = int(os.environ.get("SITE_ID", ${forced.value}))).`,
      file: forced.file,
      line: forced.line,
    },
  ];
}

export const forcedSiteId: DoctorCheck = {
  code: 'forced-site-id',
  run: (context) => Promise.resolve(forcedSiteIdFindings(context.config, context.root, context.mode, context.strategy, context.config.django)),
};
