/**
 * The `.localhost` addresses of one read of a project's sites: each site's
 * label, the project's, and the AddressMap the proxy routes and maps names
 * back with. Made once per read of the sites (they are re-read only when a
 * file changes), so neither a request nor a state update pays for it.
 */
import type { Site } from '../../protocol/protocol';
import { checkDomain } from '../sites/domainName';
import { AddressMap } from './addressMap';
import { localhostNames, localhostUrl } from './localhostNames';
import type { LocalhostNames } from './localhostNames';

/** A site's own domain on this machine: what hosts mode points here, and the Host a backend sees under Host routing. */
export function hostFor(site: Site): string | null {
  return site.domains.local[0] ?? site.domains.live ?? null;
}

/**
 * The Host the proxy sends for `site` under Host routing: its own domain, with the port its live
 * domain names when that is the same name (a Wagtail site on :8081 answers only there).
 */
export function proxyHostFor(site: Site): string | null {
  const name = hostFor(site);
  const live = /^(.*):(\d+)$/.exec(site.domains.live ?? '');
  return name && live && live[1].toLowerCase() === name ? `${name}:${live[2]}` : name;
}

/**
 * The domain a server that picks sites by Host is probed with while it starts: the
 * `preferred` (current) site's, else the first of `sites` that has a valid one; null when
 * none has. In ASCII, as a browser sends it: Node refuses to send some characters in a
 * header, and a probe that throws would fail the start.
 */
export function readyDomain(preferred: Site | null, sites: readonly Site[]): string | null {
  for (const site of preferred ? [preferred, ...sites] : sites) {
    const domain = hostFor(site);
    const checked = domain === null ? null : checkDomain(domain);
    if (checked?.ok) return checked.ascii;
  }
  return null;
}

/** One per read of the sites: the array the sites came in is the key. */
const made = new WeakMap<readonly Site[], SiteAddresses>();

export class SiteAddresses {
  readonly names: LocalhostNames;
  readonly map: AddressMap;
  /** Every site's `<site>.<project>.localhost`, without port. */
  readonly hosts: string[];

  private constructor(root: string, sites: readonly Site[]) {
    this.names = localhostNames(
      root,
      sites.map((s) => s.slug),
    );
    const projectHost = `${this.names.project}.localhost`;
    this.hosts = sites.map((site) => `${this.names.sites.get(site.slug)}.${projectHost}`);
    this.map = new AddressMap(
      projectHost,
      sites.map((site, index) => ({
        slug: site.slug,
        localhostHost: this.hosts[index],
        domains: [site.domains.live, site.domains.test, ...site.domains.local, ...site.aliases].filter((d): d is string => !!d).map((d) => d.toLowerCase()),
      })),
    );
  }

  /** The addresses of `sites` of the project in `root`, made once per read of the sites. */
  static of(root: string, sites: readonly Site[]): SiteAddresses {
    let addresses = made.get(sites);
    if (!addresses) {
      addresses = new SiteAddresses(root, sites);
      made.set(sites, addresses);
    }
    return addresses;
  }

  /** `http://<site>.<project>.localhost:<port>/` for the site with `slug`, if it is one of these. */
  url(slug: string, port: number): string | null {
    const label = this.names.sites.get(slug);
    return label ? localhostUrl(label, this.names.project, port) : null;
  }
}
