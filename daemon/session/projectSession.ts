/**
 * One open project inside the daemon, orchestrated: the current site, switching (serialized,
 * a newer switch supersedes a waiting one: switchQueue.ts), opening a site beside it, mode
 * changes, stopping, its state. What serves it is projectServing.ts's, hosts mode
 * hosts/projectHostsMode.ts's, what clients are told of the sites proxy/addressedSites.ts's,
 * what projects sharing its database see sharedDb/projectDatabase.ts's.
 */
import { DaemonError, servingFailure } from '../base/daemonError';
import { DaemonErrorCode } from '../../protocol/protocol';
import type {
  DebugParams,
  DebugResult,
  DebugState,
  ModeResult,
  OpenProjectParams,
  ProjectState,
  RoutingMode,
  ServingStrategy,
  Site,
  SitesResult,
  SwitchResult,
} from '../../protocol/protocol';
import { findDebugpy } from '../runners/debugpy';
import type { DebugOptions } from '../runners/debugpy';
import { choosePort } from '../runners/freePort';
import type { ModeChange } from '../hosts/hostsMode';
import type { SessionEvents, SessionResources } from './sessionContract';
import { ProjectHostsMode } from '../hosts/projectHostsMode';
import type { RunnerFactory, RunnerKind, StartRequest } from '../runners/runner';
import type { SessionFacts } from '../doctor/doctorContext';
import { ProjectServing } from '../serving/projectServing';
import { AddressedSites } from '../proxy/addressedSites';
import { ProjectPreferences } from './projectPreferences';
import type { StrategyChoice } from '../serving/servingStrategy';
import { SwitchQueue } from './switchQueue';
import type { CancelReason } from './switchQueue';
import { siteLabel } from '../../protocol/siteLabel';
import { hostsReadyConfig, servableConfig } from '../sites/configGate';
import { foundAgain } from '../sites/siteMatch';
import type { SiteConfig } from '../sites/siteConfig';
import { ProjectSites } from '../sites/projectSites';
import { ProjectDatabase } from '../sharedDb/projectDatabase';
import type { ProjectCode } from '../runners/projectCode';
import { StartsInFlight } from './startsInFlight';

/** How long Django's read on open waits for the server starts under way: about a cold start on a slow machine. */
const READ_BEHIND_STARTS_MS = 5000;
/** How long after an open that names its site (OpenProjectParams.sitesFirst) its start is awaited before Django's read goes ahead. */
const START_FOLLOWS_MS = 1000;

export class ProjectSession {
  private readonly projectSites: ProjectSites;
  private readonly preferences = new ProjectPreferences();
  private currentSite: Site | null = null;
  /** The site served under debugpy, and how (issue 24), until Stop Debugging, a stop, or a restart without it. */
  private debugged: { site: Site; options: DebugOptions } | null = null;
  /** Where each interpreter finds debugpy (with a client's copy as the fallback), looked for once: not in front of every Debug Site. */
  private readonly debugpyFound = new Map<string, Promise<string | null>>();
  /** The settings module the runs got at the last read of the sites (undefined before the first). */
  private readSettings: string | null | undefined = undefined;
  private readonly hostsMode: ProjectHostsMode;
  private readonly addresses: AddressedSites;
  /** The one server restarted per switch, or the proxy: see projectServing.ts. */
  private readonly serving: ProjectServing;
  private readonly queue = new SwitchQueue();
  /** The project as the projects sharing its database see it (sharedDb/). */
  readonly database: ProjectDatabase;
  /** Runs of this project's code: journaled as every run, with its settings module (sites/settingsLocation.ts). */
  readonly projectCode: ProjectCode;
  /** The server starts under way (switches, sites warmed): Django's read on open waits for them. */
  private readonly starts = new StartsInFlight();

  constructor(
    readonly root: string,
    runnerFactory: RunnerFactory,
    resources: SessionResources,
    private readonly events: SessionEvents,
  ) {
    this.projectCode = resources.projectCode.forProject(() => this.projectSites.settingsModule);
    this.serving = new ProjectServing({
      root,
      factory: runnerFactory,
      runnerKind: () => this.runnerKind,
      interpreter: async () => (await this.projectSites.interpreter()).path,
      interpreterToStart: () => this.projectSites.interpreterToStart(),
      settingsModule: () => this.projectSites.settingsModule,
      chosenSettingsModule: () => this.projectSites.chosenSettingsModule,
      port: () => this.port,
      warmSites: () => this.preferences.warmSites(this.config),
      idleMs: () => this.preferences.idleMs,
      sites: () => this.sites().sites,
      log: (line) => this.events.log(line),
      changed: () => this.events.stateChanged(this.state()),
      listening: () => this.events.sitesChanged(this.addresses.withAddresses(this.sites())),
      sitePorts: () => this.preferences.sitePorts(this.config),
      portBook: resources.portBook,
      previewBlocked: (site, listed) => events.previewBlocked({ root, site: this.addresses.addressed(site), url: listed.url }),
    });
    this.projectSites = new ProjectSites(
      root,
      {
        changed: (result) => {
          events.sitesChanged(this.addresses.withAddresses(this.reread(result)));
          // A site added has no port of its own yet, one removed gives its up: told again once that is done.
          void this.serving.proxied?.syncSitePorts().then(() => events.sitesChanged(this.addresses.withAddresses(this.sites())));
          events.stateChanged(this.state()); // how it routes and why, and its notes, come from the sites too
          this.followRouting();
        },
        log: (text) => this.daemonLog(text),
        startsSettled: () => this.starts.settled(READ_BEHIND_STARTS_MS),
        answerNeeded: () => this.starts.release(),
      },
      this.projectCode,
    );
    this.hostsMode = new ProjectHostsMode({
      root,
      resources,
      sites: () => this.sites(),
      runnerKind: () => this.runnerKind,
      port: () => this.port,
      log: (text) => this.daemonLog(text),
    });
    this.database = new ProjectDatabase({
      root,
      sites: this.projectSites,
      projectCode: this.projectCode,
      runnerKind: () => this.runnerKind,
      isServing: () => this.isServing,
      log: (line) => this.events.log(line),
    });
    this.addresses = new AddressedSites({
      root,
      config: () => this.config,
      strategy: () => this.strategy,
      port: () => this.serving.proxied?.port ?? this.port,
      djangoMajor: () => this.projectSites.djangoMajor,
      portUrl: (site) => this.serving.proxied?.portUrl(site) ?? null,
    });
  }

  private get config(): SiteConfig | null {
    return this.projectSites.current;
  }

  private get runnerKind(): RunnerKind {
    return this.preferences.runner(this.config);
  }

  /** How the project is served now, and why (see serving/servingStrategy.ts). */
  private get routing(): StrategyChoice {
    return this.preferences.strategy(this.config, this.hostsMode.active);
  }

  private get strategy(): ServingStrategy {
    return this.routing.strategy;
  }

  get isServing(): boolean {
    return this.serving.isServing;
  }

  get inHostsMode(): boolean {
    return this.hostsMode.active;
  }

  /** Whether the project's files were read at least once (a failed first open leaves nothing behind). */
  get hasBeenRead(): boolean {
    return this.config !== null;
  }

  async open(params: OpenProjectParams): Promise<SitesResult> {
    this.preferences.update(params);
    // A command that names its site (switch, open) starts it next: Django's read waits for that start.
    if (params.sitesFirst) this.starts.expect(START_FOLLOWS_MS);
    const read = this.reread(await this.projectSites.open(params));
    await this.serving.proxied?.syncSitePorts(); // the client's sitePorts may have changed
    const result = this.addresses.withAddresses(read);
    const { strategy, reason } = this.routing;
    return { ...result, routing: strategy, routingReason: reason };
  }

  /** The sites were read again: the current site is the new read's, if it is still there. */
  private reread<T extends SitesResult>(result: T): T {
    this.currentSite = foundAgain(result.sites, this.currentSite);
    // What the runs get, not what is shown: a module only pytest's configuration names is never passed.
    const module = this.projectSites.settingsModule;
    if (this.readSettings !== undefined && module !== this.readSettings) this.followSettings(result);
    this.readSettings = module;
    return result;
  }

  /**
   * Another settings module than the servers run with (a person chose another, .env changed): what
   * serves is started again with it, as runserver's own reloader does for an edit of the settings.
   */
  private followSettings(result: SitesResult): void {
    const site = this.currentSite;
    if (!site || !this.isServing) return;
    this.daemonLog(
      `The settings module is now ${result.settings.module ?? 'none'} (${result.settings.from ?? 'none named'}): serving ${siteLabel(site)} again with it.`,
    );
    void this.queue
      .enqueue(async (signal) => {
        await this.serving.stop();
        await this.resume(site, signal);
      })
      .catch((error: Error) => this.daemonLog(`could not serve ${siteLabel(site)} again: ${error.message}`));
  }

  /** The port to serve on: multisite.json wins over the client's preference. */
  private get port(): number {
    return this.preferences.port(this.config);
  }

  private get mode(): RoutingMode {
    return this.hostsMode.active ? 'hosts' : 'env';
  }

  state(): ProjectState {
    const name = this.config?.project.name ?? this.root;
    const proxied = this.serving.proxied;
    const server = proxied ? proxied.serverState() : this.serving.restarted.state();
    const current = this.currentSite ? this.addresses.addressed(this.currentSite) : null;
    const { strategy, reason } = this.routing;
    return {
      project: { root: this.root, name },
      mode: this.mode,
      strategy,
      routingReason: reason,
      backends: proxied?.backends() ?? [],
      currentSite: current,
      server,
      siteUrl: this.currentSite && server.phase === 'running' ? this.urlFor(this.currentSite) : null,
      hostsFile: this.hostsMode.file,
      notes: [...this.hostsMode.notes, ...this.addresses.notes().map((note) => note.message)],
      // A compose project's Python is inside its container: the machine's says nothing of it.
      interpreter: this.runnerKind === 'local' ? this.projectSites.chosenInterpreter : null,
      settings: this.config?.settings ?? null,
      debugging: this.debugging(),
    };
  }

  /** What is served under debugpy now: the proxy's debugged backend, or the one server started so. */
  private debugging(): DebugState | null {
    const debugged = this.debugged;
    if (!debugged) return null;
    const proxied = this.serving.proxied?.debugging();
    if (proxied) return { site: debugged.site.slug, port: proxied.port, pid: proxied.pid };
    const server = this.serving.restarted.state();
    return this.strategy === 'restart' && server.phase !== 'stopped' ? { site: debugged.site.slug, port: debugged.options.port, pid: server.pid } : null;
  }

  /**
   * Serves `params.site` under debugpy (issue 24): its backend behind the proxy (the other sites keep
   * serving, undebugged), or the one server restarted for it (it becomes the current site; in hosts
   * mode that server serves every site by Host, on the port it had, which the hosts entries' addresses
   * carry). Resolves once debugpy listens, so a debugger can attach at once: behind the proxy, whose
   * requests wait for the starting server; restarted per switch, once the site answers too (nothing
   * holds its requests).
   */
  async debugSite(params: DebugParams): Promise<DebugResult> {
    const site = await this.projectSites.findServable(params.site);
    // A compose service's debugpy is its image's (composeDebug.ts): this machine's Python says nothing of it.
    const pythonPath = this.runnerKind === 'local' ? await this.debugpyPath(params.debugpyPath ?? null) : null;
    const options: DebugOptions = { port: await choosePort(0), pythonPath };
    const label = siteLabel(site);
    return this.starts.track(
      this.queue.enqueue(async (signal) => {
        this.debugged = { site, options };
        if (this.strategy === 'restart') {
          this.currentSite = site;
          await this.serve({ ...this.oneServerRequest(site), debug: options }, signal);
          const { restarted } = this.serving;
          return { site, url: this.urlFor(site) ?? '', debugPort: options.port, pid: restarted.state().pid, pathMappings: restarted.pathMappings };
        }
        const proxy = await this.serving.proxyFor(this.strategy);
        try {
          const backend = await proxy.debug(site, options);
          if (signal.aborted) throw new Error('superseded');
          this.events.stateChanged(this.state());
          return { site, url: proxy.localhostUrl(site) ?? proxy.url, debugPort: options.port, pid: backend.pid, pathMappings: backend.pathMappings };
        } catch (error) {
          throw servingFailure(label, signal, error);
        }
      }),
    );
  }

  /** The PYTHONPATH folder the project's interpreter finds debugpy in (findDebugpy), looked for once; a failed look is not kept (debugpy may be installed meanwhile). */
  private async debugpyPath(bundled: string | null): Promise<string | null> {
    const python = (await this.projectSites.interpreter()).path;
    const key = `${python}\0${bundled ?? ''}`;
    let found = this.debugpyFound.get(key);
    if (!found) {
      found = findDebugpy(this.projectCode, python, this.root, bundled);
      this.debugpyFound.set(key, found);
      found.catch(() => this.debugpyFound.delete(key));
    }
    return found;
  }

  /** Serves the debugged site as before, without debugpy (the current one restarted so, or its backend). */
  stopDebugging(): Promise<ProjectState> {
    return this.queue.enqueue(async (signal) => {
      const debugged = this.debugged;
      this.debugged = null;
      if (debugged && this.serving.proxied) await this.serving.proxied.stopDebugging();
      else if (debugged && this.strategy === 'restart' && this.serving.restarted.serving && this.currentSite) await this.resume(this.currentSite, signal);
      this.events.stateChanged(this.state());
      return this.state();
    });
  }

  private daemonLog(text: string): void {
    this.events.log({ root: this.root, stream: 'daemon', text });
  }

  /** The project's sites as last read. */
  sites(): SiteConfig {
    return this.projectSites.get();
  }

  /** Where `site` (the current one) answers now: the proxy's address, else the one server's (its last once stopped). */
  private urlFor(site: Site): string | null {
    return this.serving.proxied?.url ?? this.hostsMode.urlFor(site, this.serving.restarted.state().url);
  }

  async switchTo(query: string): Promise<SwitchResult> {
    const site = await this.projectSites.findServable(query);
    const started = Date.now();
    this.currentSite = site;
    const result = (url: string | null): SwitchResult => {
      const addressed = this.addresses.addressed(site);
      return { site: addressed, mode: this.mode, url: url ?? '', localhostUrl: addressed.localhostUrl, elapsedMs: Date.now() - started };
    };
    // Hosts mode: the running server already serves every site; only "current" changes.
    if (this.mode === 'hosts' && this.serving.restarted.serving && this.serving.restarted.state().phase === 'running') {
      this.events.stateChanged(this.state());
      return result(this.urlFor(site));
    }
    const strategy = this.strategy;
    if (strategy === 'restart') this.serving.restarted.set({ phase: 'starting', error: null });
    else this.events.stateChanged(this.state());
    return this.starts.track(
      this.queue.enqueue(async (signal) => {
        await this.resume(site, signal);
        await this.serving.proxied?.syncSitePorts(); // opened beside the start, long done: the answer names the site's port
        return result(this.urlFor(site));
      }),
    );
  }

  /**
   * Serves `site` when named, else the current site, else the first (`start`, `restart`); a restart
   * stops whatever serves first. A project with no site to serve is refused in one sentence: the
   * config error that kept its sites from being read, or that it declares none.
   */
  async start(site: string | null, restart: boolean): Promise<SwitchResult> {
    const query = site ?? this.currentSite?.slug ?? this.sites().sites[0]?.slug;
    if (query === undefined) {
      const config = servableConfig(this.sites());
      throw new DaemonError(DaemonErrorCode.SiteNotFound, `${config.project.name} declares no sites to serve.`);
    }
    if (restart) {
      await this.projectSites.findServable(query); // a site that cannot be served stops nothing
      await this.stop();
    }
    return this.switchTo(query);
  }

  /**
   * Makes `site` answer at its own address (`site.localhostUrl`) without changing the current
   * site. Where the project is not served through the proxy, only a switch can make it answer.
   */
  async openSite(query: string, preview: string | null = null): Promise<SwitchResult> {
    const site = await this.projectSites.findServable(query);
    const strategy = this.strategy;
    if (strategy === 'restart' || (this.serving.proxied === null && this.currentSite === null)) {
      const switched = await this.switchTo(query);
      // The first site served becomes the current one; served without the proxy, the preview shows its own answers (null).
      const proxy = this.serving.proxied;
      return { ...switched, preview: preview !== null && proxy ? await proxy.preview(site, preview) : null };
    }
    const started = Date.now();
    const cancelled = this.queue.servingEndsSignal;
    // Queued behind a switch, never superseding it: opening a site is no switch.
    const proxy = this.serving.proxied?.routing === strategy ? this.serving.proxied : await this.queue.behind(() => this.serving.proxyFor(strategy));
    try {
      const url = await this.starts.track(proxy.warm(site));
      const previewed = preview === null ? null : await proxy.preview(site, preview);
      return {
        site: { ...this.addresses.addressed(site), localhostUrl: url },
        mode: this.mode,
        url,
        localhostUrl: url,
        elapsedMs: Date.now() - started,
        preview: previewed,
      };
    } catch (error) {
      throw servingFailure(siteLabel(site), cancelled, error);
    }
  }

  /** Serves `site` as the current one, the way the project is served now (the proxy, or a restart with SITE_ID). */
  private async resume(site: Site, signal: AbortSignal): Promise<void> {
    const strategy = this.strategy;
    if (strategy === 'restart') return this.serve(this.oneServerRequest(site), signal);
    if (signal.aborted) throw servingFailure(siteLabel(site), signal, null);
    const proxy = await this.serving.proxyFor(strategy);
    try {
      await proxy.serve(site, signal);
    } catch (error) {
      throw servingFailure(siteLabel(site), signal, error);
    }
  }

  /**
   * How the one server is started for `site`: with its SITE_ID; in hosts mode with none (the Host picks
   * the site) and, while it serves, on the port it has (80 where it could be had): a restart for
   * debugging, or back from it, must not move the addresses the hosts entries give.
   */
  private oneServerRequest(site: Site): StartRequest {
    const label = siteLabel(site);
    if (this.mode === 'env') return { siteId: site.id, label };
    const url = this.serving.restarted.serving ? this.serving.restarted.state().url : null;
    const port = url === null ? undefined : Number(new URL(url).port || 80);
    return { siteId: null, label, readyHost: this.hostsMode.readyHost(site), port: port === undefined ? undefined : () => Promise.resolve(port) };
  }

  /** (Re)starts the one server, forcing `request.siteId` unless null; `request.port` is asked once the old one is gone. */
  private async serve(request: StartRequest, signal: AbortSignal): Promise<void> {
    if (signal.aborted) throw servingFailure(request.label, signal, null);
    if (!request.debug) this.debugged = null; // the one server is started again without debugpy
    await this.serving.restart(request, signal, (error) => servingFailure(request.label, signal, error));
  }

  /**
   * Hosts mode: entries for every local domain, no forced SITE_ID, port 80 when possible.
   * SITE_ID mode: entries removed, the current site forced again. A change that fails
   * part way is rolled back whole: entries, compose port, mode and server as they were.
   */
  async setMode(change: ModeChange): Promise<ModeResult> {
    // Refused before anything changes, a pending switch included; leaving hosts mode never is.
    if (change.mode === 'hosts') hostsReadyConfig(this.sites());
    const project = this.hostsMode.project();
    this.queue.endServing('superseded');
    return this.queue.enqueue(async (signal) => {
      if (change.mode === 'hosts') {
        const previous = this.isServing ? this.currentSite : null;
        await this.hostsMode.enter(project, change.hostsFile, {
          serve: (port) => this.serve({ siteId: null, label: 'every site', port, readyHost: this.hostsMode.readyHost(this.currentSite) }, signal),
          rollback: async () => {
            if (previous && !signal.aborted) await this.resume(previous, signal).catch(() => undefined);
          },
        });
      } else {
        await this.hostsMode.leave(project);
        const site = this.currentSite;
        // Serve again (with SITE_ID, or through the proxy) only what was running; a stopped server stays stopped.
        if (site && this.isServing) await this.resume(site, signal);
        else await this.serving.stopAll();
      }
      // Each site's own .localhost address exists only while the proxy serves it: clients show the sites anew.
      if (this.config) this.events.sitesChanged(this.addresses.withAddresses(this.config));
      return { state: this.state(), url: this.currentSite ? this.urlFor(this.currentSite) : null };
    });
  }

  /** What the doctor needs of this project, for `mode` (default the current one): see doctor/doctorContext.ts. */
  doctorFacts(mode: RoutingMode = this.mode): SessionFacts {
    const ownPorts = this.serving.ownPorts();
    const { strategy } = this.preferences.strategy(this.config, mode === 'hosts');
    return { root: this.root, config: this.sites(), mode, strategy, runner: this.runnerKind, port: this.port, ownPorts, sites: this.projectSites };
  }

  /** Django's answer can change how the project routes (its framework picks sites by Host): serving follows (a failure shows in the state). */
  private followRouting(): void {
    const routing = this.serving.proxied?.routing;
    if (this.currentSite && routing && this.strategy !== 'restart' && routing !== this.strategy)
      void this.switchTo(this.currentSite.slug).catch(() => undefined);
  }

  /** Reads the warm backends' memory now, for a status that shows it. */
  async readMemory(): Promise<void> {
    await this.serving.proxied?.readMemory();
  }

  /** Stops watching the project's files (the daemon is exiting). */
  async close(): Promise<void> {
    await this.projectSites.close();
  }

  /** Stops the server; the current site is kept so a later start knows what to serve. */
  stop(cancel: CancelReason = 'superseded'): Promise<ProjectState> {
    this.queue.endServing(cancel);
    return this.queue.enqueue(async () => {
      await this.serving.stopAll();
      this.debugged = null;
      return this.state();
    }, cancel);
  }
}
