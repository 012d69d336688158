/**
 * How the local proxy reaches the sites, in the words the Sites view, the
 * status bar and `multisite-local status` share: a routing (ProxyRouting) as a
 * phrase, with the daemon's reason for it. A Record, so a new routing does not
 * compile until it has its words.
 */
import type { ProxyRouting } from '../protocol/protocol';

const PHRASES: Record<ProxyRouting, string> = {
  siteIdPerRequest: "the local proxy forwards every site to one server, each request served with its site's SITE_ID",
  siteId: 'the local proxy forwards to a warm server per site, each with its SITE_ID',
  host: "the local proxy sets Host to each site's domain",
};

/** "the local proxy sets Host to each site's domain (Wagtail picks the site by the request's Host)". */
export function proxyRoutingPhrase(routing: ProxyRouting, reason: string): string {
  return `${PHRASES[routing]} (${reason})`;
}
