/**
 * What serves one project, one way at a time: the one server restarted per
 * switch (restartServing.ts: warmSites 0, hosts mode) or the local
 * proxy with its warm backends (proxyServing.ts), both with runners made
 * by runners/projectRunners.ts. Whichever is asked for, the other is stopped
 * first, so two servers never hold the project's port. Which site is served,
 * and when, is the session's decision.
 */
import type { ProxyRouting, Site } from '../../protocol/protocol';
import type { ListedSite } from '../proxy/sitesPage';
import { urlPort } from '../../protocol/domainUrl';
import { ProxyServing } from './proxyServing';
import type { SitePortBook } from '../proxy/sitePortBook';
import { ProjectRunners } from '../runners/projectRunners';
import type { ProjectRunnersContext } from '../runners/projectRunners';
import { RestartServing } from './restartServing';
import type { StartRequest } from '../runners/runner';

/** What serving needs of the session, read when it is needed. */
export interface ServingContext extends ProjectRunnersContext {
  /** The project's sites as last read. */
  sites(): Site[];
  /** How many backends stay warm behind the proxy. */
  warmSites(): number;
  /** Milliseconds without use after which a backend stops; 0 = never. */
  idleMs(): number;
  /** The server's state, the backends or the proxy's current site changed. */
  changed(): void;
  /** The proxy listens now: the sites' addresses carry its port. */
  listening(): void;
  /** Where the sites' own ports begin: a port, false (none), null (next to the proxy's). */
  sitePorts(): number | false | null;
  /** The ports the sites had (the daemon's, for every project). */
  portBook: SitePortBook;
  /** `site`'s preview keeps no cookie: the editor offers the browser. */
  previewBlocked(site: Site, listed: ListedSite): void;
}

export class ProjectServing {
  /** The one server restarted per switch; it keeps its state (stopped, failed) while the proxy serves. */
  readonly restarted: RestartServing;
  private proxy: ProxyServing | null = null;
  private readonly runners: ProjectRunners;

  constructor(private readonly context: ServingContext) {
    this.runners = new ProjectRunners(context);
    this.restarted = new RestartServing({
      runnerKind: () => context.runnerKind(),
      makeRunner: (events) => this.runners.server(events),
      changed: () => context.changed(),
    });
  }

  /** The proxy and its warm backends, while the project is served through them. */
  get proxied(): ProxyServing | null {
    return this.proxy;
  }

  get isServing(): boolean {
    return this.restarted.serving || this.proxy !== null;
  }

  /** The ports this project's servers hold (the proxy's, the one server's): the doctor must not call them taken. */
  ownPorts(): number[] {
    const url = this.restarted.state().url;
    return [...(this.proxy?.ports() ?? []), url ? urlPort(url) : undefined].filter((p): p is number => p !== undefined);
  }

  /** The proxy serving with `routing`, made when the project is not served through it yet (a classic server stops first). */
  async proxyFor(routing: ProxyRouting): Promise<ProxyServing> {
    if (this.proxy?.routing === routing) return this.proxy;
    await this.stop();
    const context = this.context;
    const proxy = new ProxyServing({
      root: context.root,
      routing,
      sites: () => context.sites(),
      preferredPort: () => context.port(),
      bound: () => context.warmSites(),
      idleMs: () => context.idleMs(),
      makeRunner: (spec, events) => this.runners.backend(spec.label, events),
      changed: () => context.changed(),
      listening: () => context.listening(),
      note: (text) => context.log({ root: context.root, stream: 'daemon', text }),
      sitePorts: () => context.sitePorts(),
      portBook: context.portBook,
      previewBlocked: (site, listed) => context.previewBlocked(site, listed),
    });
    this.proxy = proxy;
    return proxy;
  }

  /**
   * (Re)starts the one server for `request` (see RestartServing.start) once whatever served before is
   * gone, so a port it held counts as free; `failure` words an error.
   */
  async restart(request: StartRequest, signal: AbortSignal, failure: (error: unknown) => Error): Promise<void> {
    this.restarted.set({ phase: 'starting', error: null });
    await this.stop();
    await this.restarted.start(request, signal, failure);
  }

  /** Stops whatever serves the project: the one server, or the proxy and its backends. */
  async stop(): Promise<void> {
    const proxy = this.proxy;
    this.proxy = null;
    await Promise.all([this.restarted.stop(), proxy?.close()]);
  }

  /** Stops whatever serves the project, and says it is stopped. */
  async stopAll(): Promise<void> {
    await this.stop();
    await this.restarted.stopped();
  }
}
