/**
 * One open project inside the daemon: its sites, the site being served and
 * the server serving it. Switches are serialized; a newer switch supersedes
 * one that is still waiting for its server.
 */
import { DaemonError } from './daemonError';
import { resolveInterpreter } from './interpreter';
import type { Interpreter, InterpreterHints } from './interpreter';
import { RUNSERVER_MARKER, RunningServer } from './localRunner';
import type { ProcessJournal } from './processJournal';
import { DEFAULT_PORT, DaemonErrorCode } from './protocol';
import type { LogLine, OpenProjectParams, ProjectState, ServerState, Site, SitesResult, SwitchResult } from './protocol';
import { describeChoices, matchSite } from './siteMatch';
import { readSiteConfig } from './siteConfig';
import type { SiteConfig } from './siteConfig';
import { readSitesTable } from './sitesTable';
import type { TableRead } from './sitesTable';
import { choosePort } from './freePort';
import { ConfigWatcher } from './configWatcher';

const READY_TIMEOUT_MS = Number(process.env.MULTISITE_LOCAL_READY_TIMEOUT_MS ?? 60_000);

export interface SessionEvents {
  stateChanged(state: ProjectState): void;
  sitesChanged(result: SitesResult): void;
  log(line: LogLine): void;
}

export class ProjectSession {
  private config: SiteConfig | null = null;
  private trusted = false;
  /** The Sites table as last read; reading it runs project code, so only when trusted. */
  private table: TableRead | null = null;
  private readonly watcher = new ConfigWatcher(() => void this.reloadAfterChange());
  private hints: InterpreterHints = {};
  private preferredPort = DEFAULT_PORT;
  private interpreter: Interpreter | null = null;
  private currentSite: Site | null = null;
  private server: RunningServer | null = null;
  private serverState: ServerState = { phase: 'stopped', pid: null, url: null, error: null };
  /** Serializes start/stop so two servers never run for one project. */
  private queue: Promise<unknown> = Promise.resolve();
  private pendingSwitch: AbortController | null = null;

  constructor(
    readonly root: string,
    private readonly journal: ProcessJournal,
    private readonly events: SessionEvents,
  ) {}

  get isServing(): boolean {
    return this.server !== null;
  }

  async open(params: OpenProjectParams): Promise<SitesResult> {
    const hints = { virtualEnv: params.virtualEnv ?? null, pythonPath: params.pythonPath ?? null };
    if (JSON.stringify(hints) !== JSON.stringify(this.hints)) this.interpreter = null;
    this.hints = hints;
    if (params.port) this.preferredPort = params.port;
    // A request from an untrusted workspace never runs project code; it may see a table
    // that a trusted client's request read earlier.
    const trusted = params.trusted !== false;
    this.trusted ||= trusted;
    return this.reload(trusted);
  }

  /** Re-reads the sites from the project's files (and its Sites table when `withTable` and trusted). */
  async reload(withTable: boolean): Promise<SitesResult> {
    if (withTable && this.trusted) this.table = await this.readTable();
    const config = await readSiteConfig(this.root, { table: this.trusted ? this.table : null });
    this.config = config;
    await this.watcher.watch(this.root, config.watchFiles);
    const { watchFiles, ...result } = config; // watchFiles stay in the daemon
    return result;
  }

  private async readTable(): Promise<TableRead> {
    try {
      this.interpreter ??= await resolveInterpreter(this.root, this.hints);
    } catch (error) {
      return { ok: false, reason: (error as Error).message };
    }
    return readSitesTable(this.root, this.interpreter.path);
  }

  /** A watched file changed: read the files again (the table only on open or refresh: it is slow). */
  private async reloadAfterChange(): Promise<void> {
    try {
      this.events.sitesChanged(await this.reload(false));
    } catch (error) {
      this.daemonLog(`could not re-read the project's sites: ${(error as Error).message}`);
    }
  }

  /** The port to serve on: multisite.json wins over the client's preference. */
  private get port(): number {
    return this.config?.options.port ?? this.preferredPort;
  }

  state(): ProjectState {
    const name = this.config?.project.name ?? this.root;
    return { project: { root: this.root, name }, mode: 'env', currentSite: this.currentSite, server: { ...this.serverState } };
  }

  private setServerState(next: Partial<ServerState>): void {
    this.serverState = { ...this.serverState, ...next };
    this.events.stateChanged(this.state());
  }

  private daemonLog(text: string): void {
    this.events.log({ root: this.root, stream: 'daemon', text });
  }

  async switchTo(query: string): Promise<SwitchResult> {
    const config = this.config;
    if (!config) throw new DaemonError(DaemonErrorCode.ProjectNotFound, `${this.root} is not open.`);
    const site = matchSite(config.sites, query);
    if (!site) {
      const choices = config.sites.length ? `Known sites: ${describeChoices(config.sites)}.` : 'The project declares no sites in DJANGO_MULTISITE_PLUS_SITES.';
      throw new DaemonError(DaemonErrorCode.SiteNotFound, `No site "${query}" in ${config.project.name}. ${choices}`);
    }
    this.pendingSwitch?.abort();
    const abort = new AbortController();
    this.pendingSwitch = abort;
    this.currentSite = site;
    this.setServerState({ phase: 'starting', error: null });
    const run = this.queue.then(() => this.restartFor(site, abort.signal));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async restartFor(site: Site, signal: AbortSignal): Promise<SwitchResult> {
    const started = Date.now();
    const superseded = (): DaemonError =>
      new DaemonError(DaemonErrorCode.Superseded, `The switch to ${site.name ?? site.slug} was replaced by a newer switch.`);
    if (signal.aborted) throw superseded();
    await this.stopServer();
    try {
      this.interpreter ??= await resolveInterpreter(this.root, this.hints);
      if (signal.aborted) throw superseded();
      const port = await choosePort(this.port);
      this.daemonLog(`Starting runserver on port ${port} with SITE_ID=${site.id} (${site.name ?? site.slug}) using ${this.interpreter.path}`);
      const server = RunningServer.start({
        root: this.root,
        python: this.interpreter.path,
        port,
        siteId: site.id,
        onLog: (stream, text) => this.events.log({ root: this.root, stream, text }),
        onUnexpectedExit: (description) => {
          if (this.server !== server) return;
          this.server = null;
          this.journal.forget(server.pid);
          this.setServerState({ phase: 'failed', pid: null, error: `runserver ${description}; see the log.` });
        },
      });
      this.server = server;
      this.journal.record({ pgid: server.pid, root: this.root, marker: RUNSERVER_MARKER });
      this.setServerState({ pid: server.pid, url: server.url });
      await server.waitUntilReady(READY_TIMEOUT_MS, signal);
      this.setServerState({ phase: 'running' });
      return { site, mode: 'env', url: server.url, elapsedMs: Date.now() - started };
    } catch (error) {
      if (signal.aborted) throw superseded();
      await this.stopServer();
      const message = error instanceof DaemonError ? error.message : `Serving ${site.name ?? site.slug} failed: ${(error as Error).message}.`;
      this.setServerState({ phase: 'failed', error: message });
      throw error instanceof DaemonError ? error : new DaemonError(DaemonErrorCode.ServerFailed, message);
    }
  }

  private async stopServer(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    await server.stop();
    this.journal.forget(server.pid);
    this.daemonLog(`Stopped runserver (pid ${server.pid}).`);
  }

  /** Stops watching the project's files (the daemon is exiting). */
  async close(): Promise<void> {
    await this.watcher.close();
  }

  /** Stops the server; the current site is kept so a later start knows what to serve. */
  stop(): Promise<ProjectState> {
    this.pendingSwitch?.abort();
    const run = this.queue.then(async () => {
      await this.stopServer();
      this.setServerState({ phase: 'stopped', pid: null, url: null, error: null });
      return this.state();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}
