/**
 * Which backend of the proxy serves a site, and how it starts: under `siteId` routing a backend of
 * its own, with its SITE_ID; under `siteIdPerRequest` the one backend that serves every site, each
 * request with its site's SITE_ID (started with the current site's); under `host` routing the one
 * backend that serves every site, probed with a Host Django finds a site for.
 */
import type { ProxyRouting, Site } from '../../protocol/protocol';
import { siteLabel } from '../../protocol/siteLabel';
import type { BackendSpec } from './backend';
import { hostFor, readyDomain } from './siteAddresses';

/** The backend that serves every site (Host routing, or SITE_ID per request). */
export const EVERY_SITE: BackendSpec = { key: '*', site: null, siteId: null, label: 'every site' };

/** The pool key of the backend that serves `site`. */
export function backendKey(routing: ProxyRouting, site: Site): string {
  return routing === 'siteId' ? site.slug : EVERY_SITE.key;
}

/** How a debugged site is served: under one server for every SITE_ID, in a server of its own, so a breakpoint pauses that site only. */
export function debugRouting(routing: ProxyRouting): ProxyRouting {
  return routing === 'siteIdPerRequest' ? 'siteId' : routing;
}

/** How the backend serving `site` starts (`current`: the site the bare address serves). */
export function backendSpec(routing: ProxyRouting, site: Site, current: Site | null): BackendSpec {
  if (routing === 'host') {
    if (!hostFor(site)) throw new Error(`${siteLabel(site)} has no domain for the proxy to send as Host; give it a real_domain`);
    // Probed with the Host the proxy forwards (the bare domain), not 127.0.0.1, for which Django finds no site.
    const probed = readyDomain(current, [site]);
    return { ...EVERY_SITE, readyHost: probed === null ? undefined : () => probed };
  }
  if (site.id === null) throw new Error(`${siteLabel(site)} has no SITE_ID to start its server with`);
  if (routing === 'siteIdPerRequest') return { ...EVERY_SITE, perRequest: { startSiteId: current?.id ?? site.id } };
  return { key: site.slug, site: site.slug, siteId: site.id, label: siteLabel(site) };
}
