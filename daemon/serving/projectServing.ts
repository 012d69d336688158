/**
 * What serves one project, one way at a time (serving.ts): the one server restarted per switch
 * (oneServer.ts: warmSites 0, hosts mode) or the local proxy with its warm backends
 * (proxyServing.ts), both with runners made by runners/projectRunners.ts. The way is chosen here,
 * from the strategy the session asks for; whichever is asked for, the other is stopped first, so two
 * servers never hold the project's port. Which site is served, and when, is the session's decision.
 */
import type { ProxyRouting, ServingStrategy, Site } from '../../protocol/protocol';
import type { ListedSite } from '../proxy/sitesPage';
import { ProxyServing } from './proxyServing';
import type { SitePortBook } from '../proxy/sitePortBook';
import { ProjectRunners } from '../runners/projectRunners';
import type { ProjectRunnersContext } from '../runners/projectRunners';
import { RestartServing } from './restartServing';
import { OneServer } from './oneServer';
import type { OneServerContext } from './oneServer';
import type { Serving } from './serving';

/** What serving needs of the session, read when it is needed. */
export interface ServingContext extends ProjectRunnersContext, Omit<OneServerContext, 'port'> {
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
  /** One server for every site failed its self-check (`why`): the project is to be served otherwise. */
  perRequestRefused(why: string): void;
}

export class ProjectServing {
  /** The one server restarted per switch; it keeps its state (stopped, failed) while the proxy serves. */
  readonly oneServer: OneServer;
  private proxy: ProxyServing | null = null;
  private readonly runners: ProjectRunners;

  constructor(private readonly context: ServingContext) {
    this.runners = new ProjectRunners(context);
    const server = new RestartServing({
      runnerKind: () => context.runnerKind(),
      makeRunner: (events) => this.runners.server(events),
      changed: () => context.changed(),
    });
    this.oneServer = new OneServer(server, {
      request: (site) => context.request(site),
      urlFor: (site, serverUrl) => context.urlFor(site, serverUrl),
      port: () => context.port(),
      madeCurrent: (site) => context.madeCurrent(site),
    });
  }

  /** What serves the project now (the one server, stopped or not, when the proxy does not). */
  get current(): Serving {
    return this.proxy ?? this.oneServer;
  }

  get isServing(): boolean {
    return this.oneServer.isServing || this.proxy !== null;
  }

  /** The way to serve with `strategy`, made when it does not serve yet (what served otherwise stops first). */
  async servingFor(strategy: ServingStrategy): Promise<Serving> {
    if (this.current.strategy === strategy) return this.current;
    await this.stop();
    return strategy === 'restart' ? this.oneServer : this.makeProxy(strategy);
  }

  /** A switch with `strategy` is on its way: the state says so at once. */
  switching(strategy: ServingStrategy): void {
    if (strategy === 'restart') this.oneServer.switching();
    else this.context.changed();
  }

  private makeProxy(routing: ProxyRouting): ProxyServing {
    const context = this.context;
    this.proxy = new ProxyServing({
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
      perRequestRefused: (why) => context.perRequestRefused(why),
    });
    return this.proxy;
  }

  /** The ports this project's servers hold (the proxy's, the one server's): the doctor must not call them taken. */
  ports(): number[] {
    return [...(this.proxy?.ports() ?? []), ...this.oneServer.ports()];
  }

  /** Stops whatever serves the project: the one server, or the proxy and its backends. */
  async stop(): Promise<void> {
    const proxy = this.proxy;
    this.proxy = null;
    await Promise.all([this.oneServer.stop(), proxy?.stop()]);
  }

  /** Stops whatever serves the project, and says it is stopped. */
  async stopAll(): Promise<void> {
    await this.stop();
    await this.oneServer.server.stopped();
  }
}
