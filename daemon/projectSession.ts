/**
 * One open project inside the daemon: its sites, the site being served and
 * the server serving it. Switches are serialized; a newer switch supersedes
 * one that is still waiting for its server.
 */
import { DaemonError } from './daemonError';
import { RUNSERVER_MARKER, RunningServer } from './runners/localRunner';
import type { ProcessJournal } from './journal/processJournal';
import { DEFAULT_PORT, DaemonErrorCode } from './protocol/protocol';
import type { LogLine, ModeResult, OpenProjectParams, ProjectState, RoutingMode, ServerState, Site, SitesResult, SwitchResult } from './protocol/protocol';
import * as path from 'node:path';
import type { HostsEntries } from './hosts/hostsEntries';
import type { ComposePortEdits } from './compose/composePortEdits';
import { readComposeFile } from './compose/composeFile';
import { findWebPort } from './compose/composePorts';
import { ComposeServer } from './compose/composeRunner';
import type { ComposeRuns } from './compose/composeRunner';
import { hostsModeWarnings } from './hosts/hostsModeWarnings';
import { requestedHostsFile } from './hosts/hostsFile';
import { siteLabel } from './protocol/siteLabel';
import { describeChoices, describeTie, matchSite } from './sites/siteMatch';
import type { SiteConfig } from './sites/siteConfig';
import { endSentence } from './sentence';
import { ProjectSites } from './sites/projectSites';
import { choosePort } from './runners/freePort';
import { startLocalServer } from './runners/localServerStart';

/** Whether this process can listen on port 80 (free, and not privileged for us). */
const port80IsFree = async (): Promise<boolean> => (await choosePort(80)) === 80;

const READY_TIMEOUT_MS = Number(process.env.MULTISITE_LOCAL_READY_TIMEOUT_MS ?? 60_000);

/** What the daemon owns globally and sessions use: the hosts entries and compose port edits. */
export interface DaemonResources {
  home: string;
  hosts: HostsEntries;
  composePorts: ComposePortEdits;
  composeRuns: ComposeRuns;
}

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
  private mode: RoutingMode = 'env';
  /** Where this project's hosts entries are, while it has some. */
  private hostsFile: string | null = null;
  private notes: string[] = [];
  private server: RunningServer | ComposeServer | null = null;
  private serverState: ServerState = { phase: 'stopped', pid: null, url: null, error: null };
  /** Serializes start/stop so two servers never run for one project. */
  private queue: Promise<unknown> = Promise.resolve();
  private pendingSwitch: AbortController | null = null;

  constructor(
    readonly root: string,
    private readonly journal: ProcessJournal,
    private readonly resources: DaemonResources,
    private readonly events: SessionEvents,
  ) {
    this.projectSites = new ProjectSites(root, { changed: (result) => events.sitesChanged(result), log: (text) => this.daemonLog(text) });
  }

  private get config(): SiteConfig | null {
    return this.projectSites.current;
  }

  private get usesCompose(): boolean {
    return this.config?.options.runner === 'compose';
  }

  get isServing(): boolean {
    return this.server !== null;
  }

  get inHostsMode(): boolean {
    return this.mode === 'hosts';
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

  state(): ProjectState {
    const name = this.config?.project.name ?? this.root;
    return {
      project: { root: this.root, name },
      mode: this.mode,
      currentSite: this.currentSite,
      server: { ...this.serverState },
      siteUrl: this.currentSite && this.serverState.phase === 'running' ? this.urlFor(this.currentSite) : null,
      hostsFile: this.hostsFile,
      notes: [...this.notes],
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
    const run = this.queue.then(() => job(abort.signal));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Where `site` answers now: the server's address in SITE_ID mode, its own domain in hosts mode. */
  private urlFor(site: Site): string | null {
    const url = this.serverState.url;
    if (!url || this.mode === 'env') return url;
    const port = new URL(url).port;
    const domain = site.domains.local[0] ?? site.domains.live;
    return domain ? `http://${domain}${port && port !== '80' ? `:${port}` : ''}/` : url;
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
      await this.serve(this.mode === 'env' ? site.id : null, signal, siteLabel(site));
      return { site, mode: this.mode, url: this.urlFor(site) ?? '', elapsedMs: Date.now() - started };
    });
  }

  /** The port for hosts mode: 80 (no port in URLs) when it can be had, else the usual one, said why. */
  private async hostsModePort(): Promise<number> {
    if (await port80IsFree()) return 80;
    const port = await choosePort(this.port);
    this.notes.push(`Port 80 is taken or needs privileges here, so the sites' URLs carry :${port}.`);
    return port;
  }

  /**
   * (Re)starts the server, forcing `siteId` unless it is null, and waits until it answers.
   * `port` is asked only once the old server is gone, so a port it held counts as free.
   */
  private async serve(siteId: number | null, signal: AbortSignal, label: string, port?: () => Promise<number>): Promise<void> {
    const superseded = (): DaemonError =>
      signal.reason === 'shutdown'
        ? new DaemonError(DaemonErrorCode.ShuttingDown, `Serving ${label} was cancelled: the daemon is shutting down.`)
        : new DaemonError(DaemonErrorCode.Superseded, `Serving ${label} was replaced by a newer request.`);
    if (signal.aborted) throw superseded();
    this.setServerState({ phase: 'starting', error: null });
    await this.stopServer();
    try {
      if (this.usesCompose) await this.startCompose(siteId, signal, label);
      else await this.startLocal(siteId, signal, label, port);
      if (signal.aborted) throw superseded();
      // Its whole group may have died between answering and now.
      if (!this.server) throw new Error('the server stopped right after it answered; see the log');
      this.setServerState({ phase: 'running' });
    } catch (error) {
      if (signal.aborted) throw superseded();
      await this.stopServer();
      const message = error instanceof DaemonError ? error.message : endSentence(`Serving ${label} failed: ${(error as Error).message}`);
      this.setServerState({ phase: 'failed', error: message });
      throw error instanceof DaemonError ? error : new DaemonError(DaemonErrorCode.ServerFailed, message);
    }
  }

  private describeForced(siteId: number | null): string {
    return siteId === null ? 'no forced SITE_ID (the Host header picks the site)' : `SITE_ID=${siteId}`;
  }

  private async startLocal(siteId: number | null, signal: AbortSignal, label: string, port?: () => Promise<number>): Promise<void> {
    const python = (await this.projectSites.interpreter()).path;
    if (signal.aborted) return;
    await startLocalServer({
      fixedPort: port ?? null,
      preferredPort: this.port,
      signal,
      timeoutMs: READY_TIMEOUT_MS,
      log: (text) => this.daemonLog(text),
      discard: () => this.stopServer(),
      spawn: (chosen) => {
        this.daemonLog(`Starting runserver on port ${chosen} with ${this.describeForced(siteId)} for ${label} using ${python}`);
        const server = RunningServer.start({
          root: this.root,
          python,
          port: chosen,
          siteId,
          onLog: (stream, text) => this.events.log({ root: this.root, stream, text }),
          // Called once the whole group is gone: only then is it safe to forget.
          onUnexpectedExit: (description) => {
            this.journal.forget(server.pid);
            // A server that never answered is reported by the start that waits for it.
            if (this.server !== server || !server.ready) return;
            this.server = null;
            const error = `runserver (pid ${server.pid}) ${description} while serving ${label}; the rest of its process group was stopped and port ${chosen} is free again. Switch to a site to serve it again.`;
            this.setServerState({ phase: 'failed', pid: null, error });
          },
        });
        this.server = server;
        this.journal.record({ pgid: server.pid, root: this.root, marker: RUNSERVER_MARKER });
        this.setServerState({ pid: server.pid, url: server.url });
        return server;
      },
    });
  }

  private async startCompose(siteId: number | null, signal: AbortSignal, label: string): Promise<void> {
    this.daemonLog(`Starting the compose web service with ${this.describeForced(siteId)} for ${label}`);
    const server = await ComposeServer.start(this.resources.composeRuns, this.root, this.resources.composeRuns.filesDir, siteId, {
      log: (stream, text) => this.events.log({ root: this.root, stream, text }),
      note: (text) => this.daemonLog(text),
    });
    this.server = server;
    this.setServerState({ pid: null, url: server.url });
    await server.waitUntilReady(READY_TIMEOUT_MS, signal);
  }

  /** Hosts mode for compose: publish the web service on 80 when 80 is free, else keep its port and say so. True when this edited the file. */
  private async composeOn80(): Promise<boolean> {
    const compose = await readComposeFile(this.root);
    if (!compose) return false;
    if (this.resources.composePorts.isEdited(compose.file)) return false;
    const found = findWebPort(compose.text);
    if (!found.ok || found.port.published === 80) return false;
    if (!(await port80IsFree())) {
      this.notes.push(
        `Port 80 is taken or needs privileges here, so ${path.basename(compose.file)} keeps port ${found.port.published} and the sites' URLs carry it.`,
      );
      return false;
    }
    await this.resources.composePorts.publishOn80(compose.file);
    this.notes.push(`${path.basename(compose.file)}: the web service is published on port 80 while in hosts mode (restored on leaving it or on cleanup).`);
    return true;
  }

  private async composeRestore(): Promise<void> {
    const compose = await readComposeFile(this.root);
    if (!compose) return;
    const { note } = await this.resources.composePorts.restore(compose.file);
    if (note) this.daemonLog(note);
  }

  /** Every local domain of every site: what hosts mode points at this machine. */
  localNames(): string[] {
    return [...new Set(this.sites().sites.flatMap((s) => s.domains.local))];
  }

  /**
   * Hosts mode: entries for every local domain, no forced SITE_ID, port 80 when possible.
   * SITE_ID mode: entries removed, the current site forced again. A change that fails
   * part way is rolled back whole: entries, compose port, mode and server as they were.
   */
  async setMode(mode: RoutingMode, hostsFile?: string): Promise<ModeResult> {
    const config = this.sites();
    return this.enqueue(async (signal) => {
      if (mode === 'hosts') await this.enterHostsMode(config, hostsFile ?? requestedHostsFile(null), signal);
      else await this.leaveHostsMode(signal);
      return { state: this.state(), url: this.currentSite ? this.urlFor(this.currentSite) : null };
    });
  }

  private async enterHostsMode(config: SiteConfig, hostsFile: string, signal: AbortSignal): Promise<void> {
    const hosts = this.resources.hosts;
    const previous = { mode: this.mode, hostsFile: this.hostsFile, notes: this.notes, site: this.server ? this.currentSite : null };
    const applied = await hosts.apply(hostsFile, this.root, this.localNames());
    const composeEdited = { value: false };
    try {
      this.mode = 'hosts';
      this.hostsFile = applied.file;
      this.notes = [...hostsModeWarnings(config, this.root), ...applied.notes];
      if (this.usesCompose) {
        composeEdited.value = await this.composeOn80();
        await this.serve(null, signal, 'every site');
      } else {
        await this.serve(null, signal, 'every site', () => this.hostsModePort());
      }
    } catch (error) {
      this.daemonLog(`Hosts mode could not start, so everything was put back: ${(error as Error).message}`);
      // The block was already there when this project was in hosts mode on the same file.
      if (previous.hostsFile !== applied.file) await hosts.remove(applied.file, this.root).catch((e: Error) => this.daemonLog(e.message));
      if (composeEdited.value) await this.composeRestore().catch((e: Error) => this.daemonLog(e.message));
      this.mode = previous.mode;
      this.hostsFile = previous.hostsFile;
      this.notes = previous.notes;
      if (previous.site && !signal.aborted) {
        await this.serve(previous.mode === 'env' ? previous.site.id : null, signal, siteLabel(previous.site)).catch(() => undefined);
      }
      throw error;
    }
    // Moved to another hosts file: the old one no longer needs our entries.
    if (previous.hostsFile && previous.hostsFile !== applied.file) await hosts.remove(previous.hostsFile, this.root);
  }

  private async leaveHostsMode(signal: AbortSignal): Promise<void> {
    if (this.hostsFile) await this.resources.hosts.remove(this.hostsFile, this.root);
    if (this.usesCompose) await this.composeRestore();
    this.mode = 'env';
    this.hostsFile = null;
    this.notes = [];
    const site = this.currentSite;
    // Restart (with SITE_ID) only a server that was running; a stopped one stays stopped.
    if (site && this.server) await this.serve(site.id, signal, siteLabel(site));
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
    if (server instanceof RunningServer) {
      this.journal.forget(server.pid);
      this.daemonLog(`Stopped runserver (pid ${server.pid}).`);
    } else {
      this.daemonLog('Stopped the compose web service.');
    }
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
