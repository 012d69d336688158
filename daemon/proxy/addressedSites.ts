/**
 * A project's sites as its clients are told them: while the proxy serves the
 * project, each site carries its own `.localhost` address (on the proxy's
 * port) and its own port's address, and the sites come with the notes on settings that would make Django
 * refuse what the proxy forwards. Served by restarting one server, the sites
 * go out as read. It asks the session for what changes under it (the sites,
 * the strategy, the port) at each call, so it holds no state of its own.
 */
import type { ConfigDiagnostic, ServingStrategy, Site, SitesResult } from '../../protocol/protocol';
import type { SiteConfig } from '../sites/siteConfig';
import { proxyNotesFor } from './proxyNotes';
import { SiteAddresses } from './siteAddresses';

/** What the addresses depend on, read when they are asked for. */
export interface AddressContext {
  readonly root: string;
  /** The sites as last read; null before the first read. */
  config(): SiteConfig | null;
  strategy(): ServingStrategy;
  /** The proxy's port once it listens, else the one it will try first. */
  port(): number;
  djangoMajor(): number | null;
  /** The site at its own port through the proxy, while it has one (sitePorts.ts). */
  portUrl(site: Site): string | null;
}

export class AddressedSites {
  constructor(private readonly context: AddressContext) {}

  /** `result` with each site's `.localhost` address, its own port's and the proxy's notes, while the project is served through the proxy. */
  withAddresses<T extends SitesResult>(result: T): T {
    if (this.context.strategy() === 'restart') return result;
    return {
      ...result,
      sites: result.sites.map((site) => this.addressed(site)),
      diagnostics: [...result.diagnostics, ...this.notes()],
    };
  }

  /** `site` with its addresses through the proxy (none while the project is not served through it). */
  addressed(site: Site): Site {
    return { ...site, localhostUrl: this.addressOf()(site), portUrl: this.context.strategy() === 'restart' ? null : this.context.portUrl(site) };
  }

  /** What in the settings would make Django refuse the proxy's requests. */
  notes(): ConfigDiagnostic[] {
    const config = this.context.config();
    const strategy = this.context.strategy();
    return config && strategy !== 'restart' ? proxyNotesFor(config, strategy, this.context.djangoMajor()) : [];
  }

  /** Where each site answers through the proxy; null for every site when the project is not served through it. */
  addressOf(): (site: Site) => string | null {
    const config = this.context.config();
    if (this.context.strategy() === 'restart' || !config) return () => null;
    const addresses = SiteAddresses.of(this.context.root, config.sites);
    // Read once: every site of one answer is on the same port.
    const port = this.context.port();
    return (site) => addresses.url(site.slug, port);
  }
}
