/**
 * One open project inside the daemon: its sites (read and watched: sites/projectSites.ts), the
 * person's preferences, its hosts mode (hosts/projectHostsMode.ts), what clients are told of the
 * sites (proxy/addressedSites.ts), what projects sharing its database see
 * (sharedDb/projectDatabase.ts), and its state. Which site it serves, and how, is siteServing.ts's.
 */
import type { OpenProjectParams, ProjectState, RoutingMode, ServingStrategy, SitesResult } from '../../protocol/protocol';
import type { SessionEvents, SessionResources } from './sessionContract';
import { ProjectHostsMode } from '../hosts/projectHostsMode';
import type { RunnerFactory, RunnerKind } from '../runners/runner';
import type { SessionFacts } from '../doctor/doctorContext';
import { AddressedSites } from '../proxy/addressedSites';
import { ProjectPreferences } from './projectPreferences';
import type { StrategyChoice } from '../serving/servingStrategy';
import { foundAgain } from '../sites/siteMatch';
import type { SiteConfig } from '../sites/siteConfig';
import { ProjectSites } from '../sites/projectSites';
import { ProjectDatabase } from '../sharedDb/projectDatabase';
import type { ProjectCode } from '../runners/projectCode';
import { SiteServing } from './siteServing';
import type { Serving } from '../serving/serving';
import { StartsInFlight } from './startsInFlight';

/** How long Django's read on open waits for the server starts under way: about a cold start on a slow machine. */
const READ_BEHIND_STARTS_MS = 5000;
/** How long after an open that names its site (OpenProjectParams.sitesFirst) its start is awaited before Django's read goes ahead. */
const START_FOLLOWS_MS = 1000;

export class ProjectSession {
  private readonly projectSites: ProjectSites;
  private readonly preferences = new ProjectPreferences();
  /** The settings module the runs got at the last read of the sites (undefined before the first). */
  private readSettings: string | null | undefined = undefined;
  private readonly hostsMode: ProjectHostsMode;
  private readonly addresses: AddressedSites;
  /** Which site is served and how: switch, start, open, debug, mode, stop. */
  readonly serving: SiteServing;
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
    this.projectSites = new ProjectSites(
      root,
      {
        changed: (result) => {
          events.sitesChanged(this.addresses.withAddresses(this.reread(result)));
          // A site added has no port of its own yet, one removed gives its up: told again once that is done.
          void this.served.syncSitePorts().then(() => events.sitesChanged(this.addresses.withAddresses(this.sites())));
          events.stateChanged(this.state()); // how it routes and why, and its notes, come from the sites too
          this.serving.followRouting();
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
      port: () => this.served.port,
      djangoMajor: () => this.projectSites.djangoMajor,
      portUrl: (site) => this.served.portUrl(site),
    });
    this.serving = new SiteServing(
      {
        root,
        projectSites: this.projectSites,
        hostsMode: this.hostsMode,
        addresses: this.addresses,
        starts: this.starts,
        projectCode: this.projectCode,
        events,
        strategy: () => this.strategy,
        mode: () => this.mode,
        runnerKind: () => this.runnerKind,
        state: () => this.state(),
        log: (text) => this.daemonLog(text),
        restarting: () => this.preferences.retryPerRequest(),
      },
      {
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
        perRequestRefused: (why) => this.perRequestRefused(why),
      },
    );
  }

  /** One server for every site failed its self-check: a server per site from now on (until a restart), said once. */
  private perRequestRefused(why: string): void {
    this.preferences.refusePerRequest(why);
    this.daemonLog(
      `One server for every site cannot serve this project: ${why}. Each site is served by a server of its own instead; restart the project to try again, or set "routing": "siteId" in multisite.json.`,
    );
    this.events.stateChanged(this.state());
    this.serving.followRouting();
  }

  /** What serves the project now (serving/serving.ts). */
  private get served(): Serving {
    return this.serving.served;
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
    const routing = this.preferences.update(params);
    // A command that names its site (switch, open) starts it next: Django's read waits for that start.
    if (params.sitesFirst) this.starts.expect(START_FOLLOWS_MS);
    const read = this.reread(await this.projectSites.open(params));
    await this.served.syncSitePorts(); // the client's sitePorts may have changed
    // So may its routing: serving follows once a start this open announced is made (which serves the new way itself).
    if (routing) void this.starts.settled(READ_BEHIND_STARTS_MS).then(() => this.serving.followRouting());
    const result = this.addresses.withAddresses(read);
    const { strategy, reason } = this.routing;
    return { ...result, routing: strategy, routingReason: reason };
  }

  /** The sites were read again: the current site is the new read's, if it is still there. */
  private reread<T extends SitesResult>(result: T): T {
    this.serving.current = foundAgain(result.sites, this.serving.current);
    // What the runs get, not what is shown: a module only pytest's configuration names is never passed.
    const module = this.projectSites.settingsModule;
    if (this.readSettings !== undefined && module !== this.readSettings) this.serving.followSettings(result);
    this.readSettings = module;
    return result;
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
    const serving = this.served;
    const server = serving.state();
    const site = this.serving.current;
    const { strategy, reason } = this.routing;
    return {
      project: { root: this.root, name },
      mode: this.mode,
      strategy,
      routingReason: reason,
      backends: serving.backends(),
      currentSite: site && this.addresses.addressed(site),
      server,
      siteUrl: site && server.phase === 'running' ? this.served.urlFor(site) : null,
      hostsFile: this.hostsMode.file,
      notes: [...this.hostsMode.notes, ...this.addresses.notes().map((note) => note.message)],
      // A compose project's Python is inside its container: the machine's says nothing of it.
      interpreter: this.runnerKind === 'local' ? this.projectSites.chosenInterpreter : null,
      settings: this.config?.settings ?? null,
      debugging: this.serving.debug.state(),
    };
  }

  private daemonLog(text: string): void {
    this.events.log({ root: this.root, stream: 'daemon', text });
  }

  /** The project's sites as last read. */
  sites(): SiteConfig {
    return this.projectSites.get();
  }

  /** What the doctor needs of this project, for `mode` (default the current one): see doctor/doctorContext.ts. */
  doctorFacts(mode: RoutingMode = this.mode): SessionFacts {
    const ownPorts = this.serving.ports();
    const { strategy } = this.preferences.strategy(this.config, mode === 'hosts');
    const perRequestRefused = this.preferences.perRequestRefusal;
    return {
      root: this.root,
      config: this.sites(),
      mode,
      strategy,
      perRequestRefused,
      runner: this.runnerKind,
      port: this.port,
      ownPorts,
      sites: this.projectSites,
    };
  }

  /** Reads the warm backends' memory now, for a status that shows it. */
  async readMemory(): Promise<void> {
    await this.served.readMemory();
  }

  /** Stops watching the project's files (the daemon is exiting). */
  async close(): Promise<void> {
    await this.projectSites.close();
  }
}
