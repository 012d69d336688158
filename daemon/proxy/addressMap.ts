/**
 * How the proxy maps names between the browser and the project: which site a
 * request's Host asks for, and back, the site domains a response names
 * (`Location` headers, `Set-Cookie` Domain attributes) to the address the
 * browser uses. Without the way back, a redirect or a login cookie from a
 * Host-routed backend would send the browser to the real domain. Pure: the
 * proxy and its tests share it.
 */

/** The names a request may use for the project's current site: the bare loopback address. */
const BARE_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export interface ProxySite {
  slug: string;
  /** `<site>.<project>.localhost`, without port. */
  localhostHost: string;
  /** The site's own domains (live, local, aliases), lower case: what a Host-routed backend names. */
  domains: string[];
}

/**
 * Who a request is for: the current site, one site by its address, nobody the proxy knows under
 * a name of its own (`*.localhost`, a loopback address), or a name that is not this machine's.
 * Only the first two reach a backend; only the third may see the project's sites listed, since a
 * page of another site whose name was rebound to 127.0.0.1 (DNS rebinding) could read the listing.
 */
export type Route = { kind: 'current' } | { kind: 'site'; slug: string } | { kind: 'unknown' } | { kind: 'foreign' };

/** A route to a site the proxy serves. */
export type SiteRoute = Extract<Route, { kind: 'current' | 'site' }>;

/** Whether a Host name (no port) is one only this machine answers to: `localhost`, `*.localhost`, a loopback address. */
export function isLoopbackName(name: string): boolean {
  return name === 'localhost' || name.endsWith('.localhost') || name === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

/** A Host header without its port, lower case. */
export function hostName(host: string | undefined): string {
  if (!host) return '';
  const lower = host.trim().toLowerCase();
  // An IPv6 literal keeps its brackets; only a port may follow them (`[::1]evil.example` is no loopback name).
  const literal = /^(\[[^\]]*\])(?::\d*)?$/.exec(lower);
  if (literal) return literal[1];
  return lower.replace(/:\d*$/, '').replace(/\.$/, '');
}

export class AddressMap {
  private readonly byHost = new Map<string, ProxySite>();
  private readonly byDomain = new Map<string, ProxySite>();

  /** `projectHost` is `<project>.localhost`: that name alone serves the current site too. */
  constructor(
    private readonly projectHost: string,
    sites: readonly ProxySite[],
  ) {
    for (const site of sites) {
      this.byHost.set(site.localhostHost, site);
      for (const domain of site.domains) if (!this.byDomain.has(domain)) this.byDomain.set(domain, site);
    }
  }

  route(host: string | undefined): Route {
    const name = hostName(host);
    if (BARE_HOSTS.has(name) || name === this.projectHost) return { kind: 'current' };
    const site = this.byHost.get(name);
    if (site) return { kind: 'site', slug: site.slug };
    return isLoopbackName(name) ? { kind: 'unknown' } : { kind: 'foreign' };
  }

  /**
   * A `Location` naming one of the project's site domains, pointed at the address the
   * browser uses for that site: the host it asked (`requestHost`, port included) when it is
   * the site being served, else `elsewhere(slug, localhostHost)` (host and port).
   */
  location(location: string, served: string, requestHost: string, elsewhere: (slug: string, localhostHost: string) => string): string {
    let url: URL;
    try {
      url = new URL(location);
    } catch {
      return location; // relative: already right for whichever host the browser used
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return location;
    const site = this.byDomain.get(hostName(url.host)) ?? this.byHost.get(hostName(url.host));
    if (!site) return location;
    url.protocol = 'http:';
    url.host = site.slug === served ? requestHost : elsewhere(site.slug, site.localhostHost);
    return url.toString();
  }

  /**
   * `Set-Cookie` lines whose Domain attribute names the served site's domains, rewritten for
   * the browser: to the `.localhost` name it used, or dropped (a host-only cookie) on the bare
   * address, where no Domain attribute is valid. Other cookies are left for the browser to judge.
   */
  cookies(lines: readonly string[], served: string, requestHost: string): string[] {
    const browserName = hostName(requestHost);
    const bare = this.byHost.get(browserName)?.slug !== served;
    return lines.map((line) =>
      line.replace(/;\s*domain\s*=\s*\.?([^;]*)/i, (attribute: string, domain: string) => {
        const name = domain.trim().toLowerCase();
        const site = this.byDomain.get(name) ?? this.byHost.get(name);
        if (site?.slug !== served) return attribute;
        return bare ? '' : `; Domain=${browserName}`;
      }),
    );
  }
}
