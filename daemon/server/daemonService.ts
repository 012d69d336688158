/**
 * What the daemon does, independent of transport: it owns every open project
 * and its server, answers requests, tells interested clients about changes,
 * and decides when it is idle.
 */
import { realpath, stat } from 'node:fs/promises';
import type { MessageConnection } from '../../protocol/wire';
import { DaemonError } from '../base/daemonError';
import type { ProcessJournal } from '../journal/processJournal';
import { ProjectSession } from '../session/projectSession';
import { ComposeRunner } from '../runners/composeRunner';
import type { ComposeRuns } from '../compose/composeRuns';
import type { SessionResources } from '../session/sessionContract';
import type { Runner, RunnerContext, RunnerKind } from '../runners/runner';
import { RunserverRunner } from '../runners/runserverRunner';
import { DaemonErrorCode, PROTOCOL_VERSION, PreviewBlocked, ProjectStateChanged, ServerLog, SitesChanged } from '../../protocol/protocol';
import type { DaemonInfo, LogLine, OpenProjectParams, RecoveryReport, SitesResult, StatusResult } from '../../protocol/protocol';
import type { ComposePortEdits } from '../compose/composePortEdits';
import type { HostsEntries } from '../hosts/hostsEntries';
import { oneLine } from '../base/sentence';
import { recoverAll } from '../journal/recoverable';
import { SharedDatabases } from '../sharedDb/sharedDatabases';
import { requestHandler } from './requestHandler';
import { requestTable } from './requestTable';
import type { DaemonRequests } from './requestTable';
import { LogRing } from '../session/logRing';
import type { Recoverable } from '../journal/recoverable';

/** What the daemon owns globally: what sessions use (hosts entries, compose port edits, runs of project code), its home and compose runs. */
export interface DaemonResources extends SessionResources {
  home: string;
  composeRuns: ComposeRuns;
}

interface Client {
  connection: MessageConnection;
  /** Roots this client opened: it is told about those only. */
  roots: Set<string>;
}

export interface ServiceOptions {
  journal: ProcessJournal;
  /** Every journal of outside changes, undone in this order on exit. */
  journals: readonly Recoverable[];
  resources: DaemonResources;
  version: string;
  /** What the start-up recovery undid of a daemon that had stopped unexpectedly: told to the first client that asks. */
  recovered: RecoveryReport | null;
  idleMs: number;
  log(text: string): void;
  /** Called when the daemon should exit (idle or asked to). */
  onShutdown(): void;
}

export class DaemonService implements DaemonRequests {
  private readonly sessionsByRoot = new Map<string, ProjectSession>();
  /** Each open project's recent log lines, for a window that opens it later (RecentLogs). */
  private readonly recentLogRings = new Map<string, LogRing>();
  private readonly clients = new Set<Client>();
  private idleTimer: NodeJS.Timeout | null = null;
  private port = 0;
  private shuttingDown: Promise<void> | null = null;
  private recovered: RecoveryReport | null;
  readonly shared = new SharedDatabases(() => [...this.sessionsByRoot.values()].map((s) => s.database));

  constructor(private readonly options: ServiceOptions) {
    this.recovered = options.recovered;
    this.checkIdle();
  }

  setPort(port: number): void {
    this.port = port;
  }

  info(): DaemonInfo {
    return { pid: process.pid, port: this.port, version: this.options.version, protocol: PROTOCOL_VERSION };
  }

  /** Wires a new authenticated connection to the service: every request of the table (requestTable.ts). */
  attach(connection: MessageConnection): void {
    const client: Client = { connection, roots: new Set() };
    this.clients.add(client);
    this.checkIdle();
    const handle = requestHandler((text) => this.options.log(text));
    for (const row of requestTable(this, client.roots)) row(connection, handle);
    connection.onClose(() => {
      this.clients.delete(client);
      this.checkIdle();
    });
    connection.listen();
  }

  get hosts(): HostsEntries {
    return this.options.resources.hosts;
  }

  get composePorts(): ComposePortEdits {
    return this.options.resources.composePorts;
  }

  sessions(): Iterable<ProjectSession> {
    return this.sessionsByRoot.values();
  }

  openRoots(): Set<string> {
    return new Set(this.sessionsByRoot.keys());
  }

  async openProject(roots: Set<string>, params: OpenProjectParams): Promise<SitesResult> {
    const session = await this.sessionAt(params.root, true);
    try {
      const result = await session.open(params);
      roots.add(session.root);
      return result;
    } catch (error) {
      // A folder that could never be read is not a project: leave no trace of it in `status`.
      if (!session.hasBeenRead && !session.isServing && this.sessionsByRoot.get(session.root) === session) {
        this.sessionsByRoot.delete(session.root);
        this.recentLogRings.delete(session.root);
        await session.close();
      }
      throw error;
    }
  }

  recentLogs(session: ProjectSession): LogLine[] {
    return this.recentLogOf(session.root).lines();
  }

  async status(): Promise<StatusResult> {
    const sessions = [...this.sessionsByRoot.values()];
    await Promise.all(sessions.map((s) => s.readMemory()));
    return { daemon: this.info(), projects: sessions.map((s) => s.state()) };
  }

  takeRecoveryReport(): RecoveryReport | null {
    const report = this.recovered;
    this.recovered = null;
    return report;
  }

  session(root: unknown): Promise<ProjectSession> {
    return this.sessionAt(root, false);
  }

  private async sessionAt(root: unknown, create: boolean): Promise<ProjectSession> {
    if (typeof root !== 'string' || root === '') {
      throw new DaemonError(DaemonErrorCode.BadRequest, 'The request names no project folder ("root").');
    }
    let canonical: string;
    try {
      canonical = await realpath(root);
      if (!(await stat(canonical)).isDirectory()) throw new Error('not a folder');
    } catch {
      throw new DaemonError(DaemonErrorCode.ProjectNotFound, `The project folder ${oneLine(root)} does not exist.`);
    }
    let session = this.sessionsByRoot.get(canonical);
    if (!session && create) {
      session = new ProjectSession(canonical, (kind, context) => this.runner(kind, context), this.options.resources, {
        stateChanged: (state) => {
          this.notify(state.project.root, (c) => void c.sendNotification(ProjectStateChanged.type, state));
          this.checkIdle();
        },
        sitesChanged: (result) => this.notify(result.project.root, (c) => void c.sendNotification(SitesChanged.type, result)),
        previewBlocked: (params) => this.notify(params.root, (c) => void c.sendNotification(PreviewBlocked.type, params)),
        log: (line: LogLine) => {
          const stamped: LogLine = { ...line, time: line.time ?? Date.now() };
          this.recentLogOf(stamped.root).push(stamped);
          this.notify(stamped.root, (c) => void c.sendNotification(ServerLog.type, stamped));
        },
      });
      this.sessionsByRoot.set(canonical, session);
    }
    if (!session) {
      throw new DaemonError(DaemonErrorCode.ProjectNotFound, `The project ${oneLine(root)} is not open in the daemon; open it first.`);
    }
    return session;
  }

  private recentLogOf(root: string): LogRing {
    let ring = this.recentLogRings.get(root);
    if (!ring) this.recentLogRings.set(root, (ring = new LogRing()));
    return ring;
  }

  /** The runner of `kind` for one project: each brings its own records of what it started. */
  private runner(kind: RunnerKind, context: RunnerContext): Runner {
    return kind === 'compose' ? new ComposeRunner(context, this.options.resources.composeRuns) : new RunserverRunner(context, this.options.journal);
  }

  private notify(root: string, send: (connection: MessageConnection) => void): void {
    for (const client of this.clients) if (client.roots.has(root)) send(client.connection);
  }

  /** Idle = no client connected and no server running; then exit after `idleMs`. */
  private checkIdle(): void {
    const idle = this.clients.size === 0 && ![...this.sessionsByRoot.values()].some((s) => s.isServing);
    if (!idle) {
      if (this.idleTimer) clearTimeout(this.idleTimer);
      this.idleTimer = null;
    } else if (!this.idleTimer) {
      this.idleTimer = setTimeout(() => void this.shutdown('idle'), this.options.idleMs);
      this.idleTimer.unref();
    }
  }

  /** Stops every server, then lets the process exit. Safe to call more than once. */
  shutdown(reason: string): Promise<void> {
    this.shuttingDown ??= (async () => {
      this.options.log(`shutting down (${reason})`);
      const sessions = [...this.sessionsByRoot.values()];
      // A shutdown always ends: what a project's stop has not done in time, the journal's recovery below does.
      const stopped = await withinShutdownWait(
        Promise.all(
          sessions.map(async (s) => {
            await s.serving.stop('shutdown');
            await s.close();
          }),
        ),
      );
      if (!stopped) this.options.log(`a project's serving had not stopped after ${SHUTDOWN_WAIT_MS / 1000} s; its servers are stopped from the journal`);
      // What still points at the servers just stopped (hosts entries, compose ports) is undone;
      // only this daemon's hosts blocks: another daemon sharing the file keeps its own.
      await recoverAll(this.options.journals, (text) => this.options.log(text));
      this.options.log(`stopped ${sessions.length} project(s)`);
      for (const client of this.clients) client.connection.dispose();
      this.options.onShutdown();
    })();
    return this.shuttingDown;
  }
}

/** How long a shutdown waits for the projects' own stop (a server's SIGTERM grace is 5 s). */
const SHUTDOWN_WAIT_MS = 20_000;

/** Whether `work` ended within the shutdown's wait (its failure counts as ended: the journal's recovery follows). */
function withinShutdownWait(work: Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), SHUTDOWN_WAIT_MS)));
  const ended = work.then(
    () => true,
    () => true,
  );
  return Promise.race([ended, waited]).finally(() => clearTimeout(timer));
}
