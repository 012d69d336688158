/**
 * A project served through its local proxy: every site at `<site>.<project>.localhost:<port>`, the
 * current one also at the bare address. With `siteIdPerRequest` routing one runserver serves every
 * site, the proxy marking each request with its site's SITE_ID (checked after each start:
 * perRequestCheck.ts); with `siteId` each site has a warm runserver of its own (SITE_ID in its
 * environment); with `host` one runserver serves every site and the proxy sets Host to the site's
 * domain. A switch to a warm site only retargets the bare address; a cold site starts once (on a
 * switch or on its first request, which waits its turn for a slot) and stays warm within the
 * pool's bound; a request holds its backend until it is over.
 */
import type { BackendState, ProxyRouting, ServerState, Site } from '../../protocol/protocol';
import type { DebugServed, FailureWording, OpenedSite, Serving } from './serving';
import { siteLabel } from '../../protocol/siteLabel';
import type { DebugOptions } from '../runners/debugpy';
import type { Runner, RunnerEvents } from '../runners/runner';
import type { SiteRoute } from '../proxy/addressMap';
import { abortable } from '../proxy/abortable';
import { BackendPool } from '../proxy/backendPool';
import { debuggerCanAttach } from '../proxy/debuggerReady';
import { previewAddresses } from '../proxy/previewFrame';
import { SiteAddresses, proxyHostFor } from '../proxy/siteAddresses';
import { backendKey } from '../proxy/backendSpecs';
import { DebuggedSite } from './debuggedSite';
import type { Backend, BackendSpec } from '../proxy/backend';
import { PerRequestChecks } from './perRequestCheck';
import { SitePorts } from '../proxy/sitePorts';
import type { SitePortBook } from '../proxy/sitePortBook';
import { SiteProxy } from '../proxy/siteProxy';
import type { ProxyTarget } from '../proxy/proxyPass';
import type { ListedSite } from '../proxy/sitesPage';

export interface ProxyServingContext {
  root: string;
  routing: ProxyRouting;
  /** The project's sites as last read. */
  sites(): Site[];
  /** The port the proxy prefers (multisite.json, else the client's); another free one when taken. */
  preferredPort(): number;
  /** How many backends stay warm. */
  bound(): number;
  /** Milliseconds without use after which a backend stops; 0 = never. */
  idleMs(): number;
  /** A runner of its own for one backend, its log lines labelled with the backend's. */
  makeRunner(spec: BackendSpec, events: Pick<RunnerEvents, 'spawned' | 'exited'>): Runner;
  /** Backends or the current site changed. */
  changed(): void;
  /** The proxy listens now: the sites' addresses carry its port. */
  listening(): void;
  /** A sentence for the project's log. */
  note(text: string): void;
  /** Where the sites' own ports begin: a port, false (none), null (next to the proxy's). */
  sitePorts(): number | false | null;
  /** The ports the sites had (the daemon's, for every project). */
  portBook: SitePortBook;
  /** `site`'s preview keeps no cookie (previewFrame.ts): the editor offers the browser. */
  previewBlocked(site: Site, listed: ListedSite): void;
  /** One server for every site failed its self-check (`why`): the project is to be served otherwise. */
  perRequestRefused(why: string): void;
}

export class ProxyServing implements Serving {
  private proxy: SiteProxy | null = null;
  private sitePorts: SitePorts | null = null;
  private listening: Promise<number> | null = null;
  private readonly pool: BackendPool;
  private readonly checks: PerRequestChecks;
  private current: Site | null = null;
  private readonly debugged: DebuggedSite;

  constructor(private readonly context: ProxyServingContext) {
    this.pool = new BackendPool({
      bound: () => context.bound(),
      idleMs: () => context.idleMs(),
      makeRunner: (spec, events) => context.makeRunner(spec, events),
      changed: () => context.changed(),
      note: (text) => context.note(text),
    });
    this.debugged = new DebuggedSite(context.routing, this.pool);
    this.checks = new PerRequestChecks({ root: context.root, sites: () => context.sites(), refused: (why) => context.perRequestRefused(why) });
  }

  get strategy(): ProxyRouting {
    return this.context.routing;
  }

  /** A proxy is made to serve, and closed when the project stops. */
  get isServing(): boolean {
    return true;
  }

  /** The bare address is retargeted by every switch. */
  servesAlready(): boolean {
    return false;
  }

  urlFor(): string {
    return this.url;
  }

  /** The proxy's port once it listens, else the one it will try first. */
  get port(): number {
    return this.proxy?.port || this.context.preferredPort();
  }

  /** The bare address: the current site. */
  get url(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  /** `site` at a port of its own (sitePorts.ts), whatever name the browser uses; null when it has none. */
  portUrl(site: Site): string | null {
    const port = this.proxy?.portOf(site.slug) ?? null;
    return port === null ? null : `http://127.0.0.1:${port}/`;
  }

  /** The ports of the proxy and of the sites' own and preview listeners. */
  ports(): number[] {
    return this.proxy?.ports() ?? [];
  }

  /** The sites were read again (or the sites' ports setting changed): each present one gets its own port, those gone lose theirs. */
  syncSitePorts(): Promise<void> {
    return this.sitePorts?.sync() ?? Promise.resolve();
  }

  /** Where `site` answers through the proxy, at the same time as every other site. */
  localhostUrl(site: Site): string | null {
    return this.addresses().url(site.slug, this.port);
  }

  private addresses(): SiteAddresses {
    return SiteAddresses.of(this.context.root, this.context.sites());
  }

  private spec(site: Site): BackendSpec {
    return this.debugged.spec(site, this.current);
  }

  /** The backend for `spec` once it answers and, for one server of every site, passed its self-check. */
  private async ready(spec: BackendSpec): Promise<Backend> {
    return this.checks.usable(await this.pool.ensure(spec), this.current);
  }

  /**
   * Serves `site` under debugpy (`options`) in the backend debuggedSite.ts says; the others keep
   * serving. Resolves once debugpy listens in that backend (see debuggerReady.ts): requests for the
   * site wait for its server meanwhile.
   */
  async debug(site: Site, options: DebugOptions, signal: AbortSignal, failure: FailureWording): Promise<DebugServed> {
    try {
      await this.listen();
      this.debugged.start(site, options);
      const spec = this.spec(site);
      const backend = await debuggerCanAttach(() => this.pool.get(spec.key), options.port, this.ready(spec));
      if (signal.aborted) throw new Error('superseded');
      this.context.changed();
      return { url: this.localhostUrl(site) ?? this.url, pid: backend.pid, pathMappings: backend.pathMappings };
    } catch (error) {
      throw failure(error);
    }
  }

  /** Serves the debugged site as before, without debugpy; resolves once it answers again. */
  stopDebugging(): Promise<void> {
    return this.debugged.stop();
  }

  /** The debugged site, its backend's debugpy port and process, while one is debugged. */
  debugging(): { site: Site; port: number; pid: number | null } | null {
    return this.debugged.state();
  }

  /** Starts listening once (on the preferred port, else any free one, said why). */
  private async listen(): Promise<void> {
    this.listening ??= (async () => {
      const proxy = new SiteProxy(
        {
          addresses: () => this.addresses().map,
          target: (route, until) => this.target(route, until),
          listing: () => this.listing(),
          previewBlocked: (slug) => this.previewBlocked(slug),
        },
        (text) => this.context.note(text),
      );
      const port = await proxy.listenPreferred(this.context.preferredPort());
      this.proxy = proxy;
      this.sitePorts = new SitePorts(proxy, {
        root: this.context.root,
        book: this.context.portBook,
        start: () => {
          const start = this.context.sitePorts();
          return start === false ? null : (start ?? port + 1);
        },
        sites: () => this.context.sites(),
        note: (text) => this.context.note(text),
      });
      // Not in front of the first answer: the sites are told again once their ports are open.
      void this.sitePorts.sync().then(() => {
        this.context.listening();
        this.context.changed();
      });
      this.context.note(`Every site is served at http://<site>.${this.addresses().names.project}.localhost:${port}/, the current one also at ${this.url}`);
      this.context.listening();
      this.context.changed();
      return port;
    })();
    this.listening.catch(() => (this.listening = null));
    await this.listening;
  }

  /**
   * Makes `site` the current one (the bare address serves it) and waits until it answers,
   * or until `signal` says a newer request replaced this one (its backend keeps starting).
   */
  async serve(site: Site, signal: AbortSignal, failure: FailureWording): Promise<void> {
    if (signal.aborted) throw failure(null);
    try {
      this.current = site;
      this.pool.pin(this.spec(site).key);
      this.context.changed();
      await this.listen();
      await abortable(this.ready(this.spec(site)), signal);
    } catch (error) {
      throw failure(error);
    }
  }

  /** Makes `site` answer at its own address without changing the current site; with its preview's addresses when `preview` names a path. */
  async open(site: Site, preview: string | null): Promise<OpenedSite> {
    await this.listen();
    await this.ready(this.spec(site));
    const url = this.localhostUrl(site) ?? this.url;
    if (preview === null) return { url, preview: null };
    if (!this.proxy) throw new Error('the proxy was stopped');
    const port = await this.proxy.previewPortOf(site.slug);
    return { url, preview: previewAddresses(port, this.addresses().url(site.slug, port), preview) };
  }

  private previewBlocked(slug: string): ListedSite {
    const site = this.context.sites().find((s) => s.slug === slug);
    if (!site) return { label: slug, url: this.url };
    this.context.previewBlocked(site, this.listed(site));
    return this.listed(site);
  }

  private async target(route: SiteRoute, until: AbortSignal): Promise<ProxyTarget | null> {
    // By slug in the sites as last read: a site's domains may have changed since it became current.
    const slug = route.kind === 'current' ? this.current?.slug : route.slug;
    const site = this.context.sites().find((s) => s.slug === slug) ?? (route.kind === 'current' ? this.current : null);
    if (!site) return null;
    // Held until the request is over: the pool never stops a backend under a request in flight.
    const lease = await this.pool.acquire(this.spec(site), until);
    const port = await this.checks.portOf(lease, this.current);
    const host = this.context.routing === 'host' ? proxyHostFor(site) : null;
    return { slug: site.slug, label: siteLabel(site), port, host, siteMark: lease.backend.siteMark(site) };
  }

  private listing(): { project: string; sites: ListedSite[] } {
    return {
      project: this.addresses().names.project,
      sites: this.context.sites().map((site) => this.listed(site)),
    };
  }

  private listed(site: Site): ListedSite {
    return { label: siteLabel(site), url: this.localhostUrl(site) ?? this.url, portUrl: this.portUrl(site) };
  }

  backends(): BackendState[] {
    return this.pool.list().map((b) => b.state());
  }

  /** The bare address's server as the project state shows it: the current site's backend. */
  state(): ServerState {
    const backend = this.current ? this.pool.get(backendKey(this.context.routing, this.current)) : undefined;
    if (!this.proxy || !backend) return { phase: this.current ? 'starting' : 'stopped', pid: null, url: this.proxy ? this.url : null, error: null };
    return { phase: backend.phase, pid: backend.pid, url: this.url, error: backend.state().error };
  }

  /** Reads the backends' memory now (status and tooltips show it). */
  readMemory(): Promise<void> {
    return this.pool.readMemory();
  }

  /** Stops every backend and the proxy. */
  async stop(): Promise<void> {
    await this.pool.close();
    await this.listening?.catch(() => undefined);
    await this.proxy?.close();
    this.proxy = null;
    this.sitePorts = null;
    this.listening = null;
  }
}
