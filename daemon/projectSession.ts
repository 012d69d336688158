/**
 * One open project inside the daemon: its sites, the site being served and
 * what serves it: the local proxy with its warm backends (see
 * proxy/servingStrategy.ts), or one server restarted per switch. Switches are
 * serialized; a newer switch supersedes one that is still waiting for its
 * server. How a server runs is its runner's business; hosts mode's outside
 * changes are hostsMode's.
 */
import { servingFailure } from './daemonError';
import type {
  ConfigDiagnostic,
  LogLine,
  ModeResult,
  OpenProjectParams,
  ProjectState,
  ProxyRouting,
  RoutingMode,
  ServingStrategy,
  Site,
  SitesResult,
  SwitchResult,
} from './protocol/protocol';
import { enterHostsMode, leaveHostsMode } from './hosts/hostsMode';
import type { HostsModeProject, HostsModeResources, HostsModeState, ModeChange } from './hosts/hostsMode';
import type { Runner, RunnerEvents, RunnerFactory, RunnerKind, StartRequest } from './runners/runner';
import { RestartServing } from './runners/restartServing';
import type { BackendSpec } from './proxy/backend';
import type { SessionFacts } from './doctor/doctorContext';
import { ProxyServing } from './proxy/proxyServing';
import { proxyNotesFor } from './proxy/proxyNotes';
import { SiteAddresses, hostFor, readyDomain } from './proxy/siteAddresses';
import { ProjectPreferences } from './projectPreferences';
import { domainHost, domainUrl } from './protocol/domainUrl';
import { SerialQueue } from './serialQueue';
import { siteLabel } from './protocol/siteLabel';
import { findSite } from './sites/siteMatch';
import type { SiteConfig } from './sites/siteConfig';
import { ProjectSites } from './sites/projectSites';

/** Why a switch still waiting for its server is cancelled: a newer request, or the daemon shutting down. */
export type CancelReason = 'superseded' | 'shutdown';

export interface SessionEvents {
  stateChanged(state: ProjectState): void;
  sitesChanged(result: SitesResult): void;
  log(line: LogLine): void;
}

export class ProjectSession {
  private readonly projectSites: ProjectSites;
  private readonly preferences = new ProjectPreferences();
  /** The proxy and its warm backends, while the project is served through them. */
  private proxied: ProxyServing | null = null;
  private currentSite: Site | null = null;
  /** Null in SITE_ID mode; in hosts mode, where the entries are. */
  private hostsMode: HostsModeState | null = null;
  /** The one server restarted per switch (warmSites 0, hosts mode). */
  private readonly restarted: RestartServing;
  /** Serializes start/stop so two servers never run for one project. */
  private readonly queue = new SerialQueue();
  private pendingSwitch: AbortController | null = null;

  constructor(
    readonly root: string,
    private readonly runners: RunnerFactory,
    private readonly resources: HostsModeResources,
    private readonly events: SessionEvents,
  ) {
    this.restarted = new RestartServing({
      runnerKind: () => this.runnerKind,
      makeRunner: (events) =>
        this.makeRunner(() => this.port, {
          ...events,
          log: (stream, text) => this.events.log({ root: this.root, stream, text }),
          note: (text) => this.daemonLog(text),
        }),
      changed: () => this.events.stateChanged(this.state()),
    });
    this.projectSites = new ProjectSites(root, {
      changed: (result) => events.sitesChanged(this.withAddresses(this.reread(result))),
      log: (text) => this.daemonLog(text),
    });
  }

  private get config(): SiteConfig | null {
    return this.projectSites.current;
  }

  private get runnerKind(): RunnerKind {
    return this.preferences.runner(this.config);
  }

  private makeRunner(preferredPort: () => number, events: RunnerEvents): Runner {
    return this.runners(this.runnerKind, {
      root: this.root,
      interpreter: async () => (await this.projectSites.interpreter()).path,
      preferredPort,
      events,
    });
  }

  /** A runner of its own for a backend behind the proxy: any free port, its lines labelled with what it serves. */
  private backendRunner(spec: BackendSpec, events: Pick<RunnerEvents, 'spawned' | 'exited'>): Runner {
    return this.makeRunner(() => 0, {
      ...events,
      log: (stream, text) => this.events.log({ root: this.root, stream, text, source: spec.label }),
      note: (text) => this.events.log({ root: this.root, stream: 'daemon', text, source: spec.label }),
    });
  }

  /** How the project is served now (see proxy/servingStrategy.ts). */
  private get strategy(): ServingStrategy {
    return this.preferences.strategy(this.config, this.hostsMode !== null);
  }

  get isServing(): boolean {
    return this.restarted.serving || this.proxied !== null;
  }

  get inHostsMode(): boolean {
    return this.hostsMode !== null;
  }

  /** Whether the project's files were read at least once (a failed first open leaves nothing behind). */
  get hasBeenRead(): boolean {
    return this.config !== null;
  }

  async open(params: OpenProjectParams): Promise<SitesResult> {
    this.preferences.update(params);
    return this.withAddresses(this.reread(await this.projectSites.open(params)));
  }

  /** The sites were read again: the current site is the new read's (its domains may have changed), if it is still there. */
  private reread<T extends SitesResult>(result: T): T {
    const slug = this.currentSite?.slug;
    if (slug !== undefined) this.currentSite = result.sites.find((site) => site.slug === slug) ?? this.currentSite;
    return result;
  }

  /**
   * `result` with each site's `.localhost` address while the project is served through the
   * proxy, and the settings that would make Django refuse what the proxy forwards.
   */
  private withAddresses<T extends SitesResult>(result: T): T {
    if (this.strategy === 'restart') return result;
    const addressOf = this.addressOf();
    return {
      ...result,
      sites: result.sites.map((site) => ({ ...site, localhostUrl: addressOf(site) })),
      diagnostics: [...result.diagnostics, ...this.proxyNotes()],
    };
  }

  /** What in the settings would make Django refuse the proxy's requests. */
  private proxyNotes(): ConfigDiagnostic[] {
    const strategy = this.strategy;
    return this.config && strategy !== 'restart' ? proxyNotesFor(this.config, strategy, this.projectSites.djangoMajor) : [];
  }

  /** Where each site answers through the proxy: on the proxy's port once it listens, else the one it will try first. */
  private addressOf(): (site: Site) => string | null {
    if (this.strategy === 'restart' || !this.config) return () => null;
    const addresses = SiteAddresses.of(this.root, this.config.sites);
    const port = this.proxied?.port ?? this.port;
    return (site) => addresses.url(site.slug, port);
  }

  /** The port to serve on: multisite.json wins over the client's preference. */
  private get port(): number {
    return this.preferences.port(this.config);
  }

  private get mode(): RoutingMode {
    return this.hostsMode ? 'hosts' : 'env';
  }

  state(): ProjectState {
    const name = this.config?.project.name ?? this.root;
    const proxied = this.proxied;
    const server = proxied ? proxied.serverState() : this.restarted.state();
    const current = this.currentSite ? { ...this.currentSite, localhostUrl: this.addressOf()(this.currentSite) } : null;
    return {
      project: { root: this.root, name },
      mode: this.mode,
      strategy: this.strategy,
      backends: proxied?.backends() ?? [],
      currentSite: current,
      server,
      siteUrl: this.currentSite && server.phase === 'running' ? (proxied ? proxied.url : this.urlFor(this.currentSite)) : null,
      hostsFile: this.hostsMode?.file ?? null,
      notes: [...(this.hostsMode?.notes ?? []), ...this.proxyNotes().map((note) => note.message)],
    };
  }

  private daemonLog(text: string): void {
    this.events.log({ root: this.root, stream: 'daemon', text });
  }

  /** The project's sites as last read. */
  sites(): SiteConfig {
    return this.projectSites.get();
  }

  /** Runs `job` after every earlier start/stop; a newer job aborts one still waiting for its server. */
  private enqueue<T>(job: (signal: AbortSignal) => Promise<T>, cancel: CancelReason = 'superseded'): Promise<T> {
    this.pendingSwitch?.abort(cancel);
    const abort = new AbortController();
    this.pendingSwitch = abort;
    return this.queue.run(() => job(abort.signal));
  }

  /** Where `site` answers now: the server's address in SITE_ID mode, its own domain in hosts mode. */
  private urlFor(site: Site): string | null {
    const url = this.restarted.state().url;
    if (!url || this.mode === 'env') return url;
    const port = new URL(url).port;
    const domain = hostFor(site);
    return domain ? domainUrl(domain, port) : url;
  }

  async switchTo(query: string): Promise<SwitchResult> {
    const site = findSite(this.sites(), query);
    const started = Date.now();
    this.currentSite = site;
    const result = (url: string | null): SwitchResult => {
      const addressed = this.addressOf()(site);
      return { site: { ...site, localhostUrl: addressed }, mode: this.mode, url: url ?? '', localhostUrl: addressed, elapsedMs: Date.now() - started };
    };
    // Hosts mode: the running server already serves every site; only "current" changes.
    if (this.mode === 'hosts' && this.restarted.serving && this.restarted.state().phase === 'running') {
      this.events.stateChanged(this.state());
      return result(this.urlFor(site));
    }
    const strategy = this.strategy;
    if (strategy === 'restart') this.restarted.set({ phase: 'starting', error: null });
    else this.events.stateChanged(this.state());
    return this.enqueue(async (signal) => {
      await this.resume(site, signal);
      return result(this.proxied ? this.proxied.url : this.urlFor(site));
    });
  }

  /**
   * Makes `site` answer at its own address (`site.localhostUrl`) without changing the current
   * site. Where the project is not served through the proxy, only a switch can make it answer.
   */
  async openSite(query: string): Promise<SwitchResult> {
    const site = findSite(this.sites(), query);
    const strategy = this.strategy;
    if (strategy === 'restart' || (this.proxied === null && this.currentSite === null)) return this.switchTo(query);
    const started = Date.now();
    // Queued behind a switch, never superseding it: opening a site is no switch.
    const serving = this.proxied?.routing === strategy ? this.proxied : await this.queue.run(() => this.proxyFor(strategy));
    try {
      const url = await serving.warm(site);
      return { site: { ...site, localhostUrl: url }, mode: this.mode, url, localhostUrl: url, elapsedMs: Date.now() - started };
    } catch (error) {
      throw servingFailure(siteLabel(site), null, error);
    }
  }

  /** Serves `site` as the current one, the way the project is served now (the proxy, or a restart with SITE_ID). */
  private async resume(site: Site, signal: AbortSignal): Promise<void> {
    const strategy = this.strategy;
    if (strategy === 'restart') {
      if (this.mode === 'env') return this.serve({ siteId: site.id, label: siteLabel(site) }, signal);
      return this.serve({ siteId: null, label: siteLabel(site), readyHost: this.readyHost(site) }, signal);
    }
    if (signal.aborted) throw servingFailure(siteLabel(site), signal, null);
    const serving = await this.proxyFor(strategy);
    try {
      await serving.serve(site, signal);
    } catch (error) {
      throw servingFailure(siteLabel(site), signal, error);
    }
  }

  /** The proxy serving with `routing`, made when the project is not served through it yet (a classic server stops first). */
  private async proxyFor(routing: ProxyRouting): Promise<ProxyServing> {
    if (this.proxied?.routing === routing) return this.proxied;
    await this.stopServer();
    const serving = new ProxyServing({
      root: this.root,
      routing,
      sites: () => this.sites().sites,
      preferredPort: () => this.port,
      bound: () => this.preferences.warmSites(this.config),
      idleMs: () => this.preferences.idleMs,
      makeRunner: (spec, events) => this.backendRunner(spec, events),
      changed: () => this.events.stateChanged(this.state()),
      listening: () => this.events.sitesChanged(this.withAddresses(this.sites())),
      note: (text) => this.daemonLog(text),
    });
    this.proxied = serving;
    return serving;
  }

  /**
   * (Re)starts the one server, forcing `request.siteId` unless it is null, and waits until it answers.
   * `request.port` is asked only once the old server (or the proxy) is gone, so a port it held counts as free.
   */
  private async serve(request: StartRequest, signal: AbortSignal): Promise<void> {
    if (signal.aborted) throw servingFailure(request.label, signal, null);
    this.restarted.set({ phase: 'starting', error: null });
    await this.stopServer();
    await this.restarted.start(request, signal, (error) => servingFailure(request.label, signal, error));
  }

  /**
   * Hosts mode's readiness probe: `site`'s domain (else the first site's) as the browser will
   * send it, so Django answers the probe as a site instead of logging a 500 for 127.0.0.1.
   */
  private readyHost(site: Site | null): StartRequest['readyHost'] {
    const domain = readyDomain(site, this.sites().sites);
    return domain === null ? undefined : (port) => domainHost(domain, port);
  }

  private get hostsProject(): HostsModeProject {
    return { root: this.root, sites: this.sites(), runner: this.runnerKind, preferredPort: this.port, log: (text) => this.daemonLog(text) };
  }

  /**
   * Hosts mode: entries for every local domain, no forced SITE_ID, port 80 when possible.
   * SITE_ID mode: entries removed, the current site forced again. A change that fails
   * part way is rolled back whole: entries, compose port, mode and server as they were.
   */
  async setMode(change: ModeChange): Promise<ModeResult> {
    const project = this.hostsProject;
    return this.enqueue(async (signal) => {
      if (change.mode === 'hosts') await this.enterHostsMode(project, change.hostsFile, signal);
      else await this.leaveHostsMode(project, signal);
      // Each site's own .localhost address exists only while the proxy serves it: clients show the sites anew.
      if (this.config) this.events.sitesChanged(this.withAddresses(this.config));
      return { state: this.state(), url: this.currentSite ? this.urlFor(this.currentSite) : null };
    });
  }

  private async enterHostsMode(project: HostsModeProject, hostsFile: string, signal: AbortSignal): Promise<void> {
    const previous = { hostsMode: this.hostsMode, site: this.isServing ? this.currentSite : null };
    await enterHostsMode(this.resources, project, hostsFile, previous.hostsMode, {
      entered: (state) => {
        this.hostsMode = state;
      },
      serve: (port) => this.serve({ siteId: null, label: 'every site', port, readyHost: this.readyHost(this.currentSite) }, signal),
      rollback: async () => {
        this.hostsMode = previous.hostsMode;
        if (previous.site && !signal.aborted) await this.resume(previous.site, signal).catch(() => undefined);
      },
    });
  }

  private async leaveHostsMode(project: HostsModeProject, signal: AbortSignal): Promise<void> {
    await leaveHostsMode(this.resources, project, this.hostsMode);
    this.hostsMode = null;
    const site = this.currentSite;
    // Serve again (with SITE_ID, or through the proxy) only what was running; a stopped server stays stopped.
    if (site && this.isServing) await this.resume(site, signal);
    else await this.stopAll();
  }

  /** Stops whatever serves the project: the one server, or the proxy and its backends. */
  private async stopServer(): Promise<void> {
    const proxied = this.proxied;
    this.proxied = null;
    await Promise.all([this.restarted.stop(), proxied?.close()]);
  }

  /** Stops whatever serves the project, and says it is stopped. */
  private async stopAll(): Promise<void> {
    await this.stopServer();
    await this.restarted.stopped();
  }

  /** What the doctor needs of this project, for `mode` (default the current one): see doctor/doctorContext.ts. */
  doctorFacts(mode: RoutingMode = this.mode): SessionFacts {
    const url = this.restarted.state().url;
    const ownPorts = [this.proxied?.port, url ? Number(new URL(url).port || 80) : undefined].filter((p): p is number => p !== undefined);
    const strategy = this.preferences.strategy(this.config, mode === 'hosts');
    return { root: this.root, config: this.sites(), mode, strategy, runner: this.runnerKind, port: this.port, ownPorts, sites: this.projectSites };
  }

  /** Reads the warm backends' memory now, for a status that shows it. */
  async readMemory(): Promise<void> {
    await this.proxied?.readMemory();
  }

  /** Stops watching the project's files (the daemon is exiting). */
  async close(): Promise<void> {
    await this.projectSites.close();
  }

  /** Stops the server; the current site is kept so a later start knows what to serve. */
  stop(cancel: CancelReason = 'superseded'): Promise<ProjectState> {
    return this.enqueue(async () => {
      await this.stopAll();
      return this.state();
    }, cancel);
  }
}
