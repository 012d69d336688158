/** The environment variables that put a terminal in a project's current site (siteTerminals.ts). */
import type { ProjectState } from '../../protocol/protocol';

/** The variables a terminal of a project in `state` gets; none while no site is current. */
export function siteVariables(state: ProjectState | null): Record<string, string> {
  const site = state?.currentSite;
  if (!state || !site) return {};
  const url = state.siteUrl ?? site.localhostUrl;
  // SITE_ID only where it picks the site: never in hosts mode or Host routing, where a forced one breaks it.
  const bySiteId = state.mode === 'env' && state.strategy !== 'host' && site.id !== null;
  return {
    MULTISITE_LOCAL_SITE: site.slug,
    ...(url ? { MULTISITE_LOCAL_URL: url } : {}),
    ...(bySiteId ? { SITE_ID: String(site.id) } : {}),
  };
}
