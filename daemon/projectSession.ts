/**
 * One open project inside the daemon: its sites, the site being served and
 * the server serving it. Switches are serialized; a newer switch supersedes
 * one that is still waiting for its server. How the server runs is its
 * runner's business; hosts mode's outside changes are hostsMode's.
 */
import { DaemonError } from './daemonError';
import { DEFAULT_PORT, DaemonErrorCode } from './protocol/protocol';
import type { LogLine, ModeResult, OpenProjectParams, ProjectState, ServerState, Site, SitesResult, SwitchResult } from './protocol/protocol';
import { enterHostsMode, leaveHostsMode } from './hosts/hostsMode';
import type { HostsModeProject, HostsModeResources, HostsModeState, ModeChange } from './hosts/hostsMode';
import type { Runner, RunnerFactory, RunnerKind, Server, StartRequest } from './runners/runner';
import { domainUrl } from './protocol/domainUrl';
import { SerialQueue } from './serialQueue';
import { siteLabel } from './protocol/siteLabel';
import { describeChoices, describeTie, matchSite } from './sites/siteMatch';
import type { SiteConfig } from './sites/siteConfig';
import { endSentence } from './sentence';
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
  private preferredPort = DEFAULT_PORT;
  private currentSite: Site | null = null;
  /** Null in SITE_ID mode; in hosts mode, where the entries are. */
  private hostsMode: HostsModeState | null = null;
  private runnerInUse: Runner | null = null;
  private server: Server | null = null;
  private serverState: ServerState = { phase: 'stopped', pid: null, url: null, error: null };
  /** Serializes start/stop so two servers never run for one project. */
  private readonly queue = new SerialQueue();
  private pendingSwitch: AbortController | null = null;

  constructor(
    readonly root: string,
    private readonly runners: RunnerFactory,
    private readonly resources: HostsModeResources,
    private readonly events: SessionEvents,
  ) {
    this.projectSites = new ProjectSites(root, { changed: (result) => events.sitesChanged(result), log: (text) => this.daemonLog(text) });
  }

  private get config(): SiteConfig | null {
    return this.projectSites.current;
  }

  /** The runner the project's config names, made once (again only if the config names another). */
  private get runner(): Runner {
    const kind: RunnerKind = this.config?.options.runner ?? 'local';
    if (this.runnerInUse?.kind !== kind) {
      this.runnerInUse = this.runners(kind, {
        root: this.root,
        interpreter: async () => (await this.projectSites.interpreter()).path,
        preferredPort: () => this.port,
        events: {
          log: (stream, text) => this.events.log({ root: this.root, stream, text }),
          note: (text) => this.daemonLog(text),
          spawned: (server) => {
            this.server = server;
            this.setServerState({ pid: server.pid, url: server.url });
          },
          exited: (server, sentence) => {
            if (this.server !== server) return;
            this.server = null;
            this.setServerState({ phase: 'failed', pid: null, error: sentence });
          },
        },
      });
    }
    return this.runnerInUse;
  }

  get isServing(): boolean {
    return this.server !== null;
  }

  get inHostsMode(): boolean {
    return this.hostsMode !== null;
  }

  /** Whether the project's files were read at least once (a failed first open leaves nothing behind). */
  get hasBeenRead(): boolean {
    return this.config !== null;
  }

  async open(params: OpenProjectParams): Promise<SitesResult> {
    if (params.port) this.preferredPort = params.port;
    return this.projectSites.open(params);
  }

  /** The port to serve on: multisite.json wins over the client's preference. */
  private get port(): number {
    return this.config?.options.port ?? this.preferredPort;
  }

  private get mode(): 'env' | 'hosts' {
    return this.hostsMode ? 'hosts' : 'env';
  }

  state(): ProjectState {
    const name = this.config?.project.name ?? this.root;
    return {
      project: { root: this.root, name },
      mode: this.mode,
      strategy: 'restart',
      backends: [],
      currentSite: this.currentSite,
      server: { ...this.serverState },
      siteUrl: this.currentSite && this.serverState.phase === 'running' ? this.urlFor(this.currentSite) : null,
      hostsFile: this.hostsMode?.file ?? null,
      notes: [...(this.hostsMode?.notes ?? [])],
    };
  }

  private setServerState(next: Partial<ServerState>): void {
    this.serverState = { ...this.serverState, ...next };
    this.events.stateChanged(this.state());
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
    const url = this.serverState.url;
    if (!url || this.mode === 'env') return url;
    const port = new URL(url).port;
    const domain = site.domains.local[0] ?? site.domains.live;
    return domain ? domainUrl(domain, port) : url;
  }

  async switchTo(query: string): Promise<SwitchResult> {
    const config = this.sites();
    const match = matchSite(config.sites, query);
    if (!match) {
      const choices = config.sites.length ? `Known sites: ${describeChoices(config.sites)}.` : 'The project declares no sites in DJANGO_MULTISITE_PLUS_SITES.';
      throw new DaemonError(DaemonErrorCode.SiteNotFound, `No site "${query}" in ${config.project.name}. ${choices}`);
    }
    if ('tie' in match) throw new DaemonError(DaemonErrorCode.SiteNotFound, describeTie(query, match.tie));
    const site = match.site;
    const started = Date.now();
    this.currentSite = site;
    // Hosts mode: the running server already serves every site; only "current" changes.
    if (this.mode === 'hosts' && this.server && this.serverState.phase === 'running') {
      this.events.stateChanged(this.state());
      return { site, mode: 'hosts', url: this.urlFor(site) ?? '', elapsedMs: Date.now() - started };
    }
    this.setServerState({ phase: 'starting', error: null });
    return this.enqueue(async (signal) => {
      await this.serve({ siteId: this.mode === 'env' ? site.id : null, label: siteLabel(site) }, signal);
      return { site, mode: this.mode, url: this.urlFor(site) ?? '', elapsedMs: Date.now() - started };
    });
  }

  /**
   * (Re)starts the server, forcing `request.siteId` unless it is null, and waits until it answers.
   * `request.port` is asked only once the old server is gone, so a port it held counts as free.
   */
  private async serve(request: StartRequest, signal: AbortSignal): Promise<void> {
    const superseded = (): DaemonError =>
      signal.reason === 'shutdown'
        ? new DaemonError(DaemonErrorCode.ShuttingDown, `Serving ${request.label} was cancelled: the daemon is shutting down.`)
        : new DaemonError(DaemonErrorCode.Superseded, `Serving ${request.label} was replaced by a newer request.`);
    if (signal.aborted) throw superseded();
    this.setServerState({ phase: 'starting', error: null });
    await this.stopServer();
    try {
      await this.runner.start(request, signal);
      if (signal.aborted) throw superseded();
      // Its whole group may have died between answering and now.
      if (!this.server) throw new Error('the server stopped right after it answered; see the log');
      this.setServerState({ phase: 'running' });
    } catch (error) {
      if (signal.aborted) throw superseded();
      await this.stopServer();
      const message = error instanceof DaemonError ? error.message : endSentence(`Serving ${request.label} failed: ${(error as Error).message}`);
      this.setServerState({ phase: 'failed', error: message });
      throw error instanceof DaemonError ? error : new DaemonError(DaemonErrorCode.ServerFailed, message);
    }
  }

  private get hostsProject(): HostsModeProject {
    return { root: this.root, sites: this.sites(), runner: this.runner.kind, preferredPort: this.port, log: (text) => this.daemonLog(text) };
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
      return { state: this.state(), url: this.currentSite ? this.urlFor(this.currentSite) : null };
    });
  }

  private async enterHostsMode(project: HostsModeProject, hostsFile: string, signal: AbortSignal): Promise<void> {
    const previous = { hostsMode: this.hostsMode, site: this.server ? this.currentSite : null };
    await enterHostsMode(this.resources, project, hostsFile, previous.hostsMode, {
      entered: (state) => {
        this.hostsMode = state;
      },
      serve: (port) => this.serve({ siteId: null, label: 'every site', port }, signal),
      rollback: async () => {
        this.hostsMode = previous.hostsMode;
        if (previous.site && !signal.aborted) {
          const site = previous.site;
          await this.serve({ siteId: this.mode === 'env' ? site.id : null, label: siteLabel(site) }, signal).catch(() => undefined);
        }
      },
    });
  }

  private async leaveHostsMode(project: HostsModeProject, signal: AbortSignal): Promise<void> {
    await leaveHostsMode(this.resources, project, this.hostsMode);
    this.hostsMode = null;
    const site = this.currentSite;
    // Restart (with SITE_ID) only a server that was running; a stopped one stays stopped.
    if (site && this.server) await this.serve({ siteId: site.id, label: siteLabel(site) }, signal);
    else {
      await this.stopServer();
      this.setServerState({ phase: 'stopped', pid: null, url: null, error: null });
    }
  }

  private async stopServer(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    await server.stop();
  }

  /** Stops watching the project's files (the daemon is exiting). */
  async close(): Promise<void> {
    await this.projectSites.close();
  }

  /** Stops the server; the current site is kept so a later start knows what to serve. */
  stop(cancel: CancelReason = 'superseded'): Promise<ProjectState> {
    return this.enqueue(async () => {
      await this.stopServer();
      this.setServerState({ phase: 'stopped', pid: null, url: null, error: null });
      return this.state();
    }, cancel);
  }
}
