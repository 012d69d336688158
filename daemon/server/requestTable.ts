/**
 * Every request the daemon answers, in one table (as rust-analyzer lists its commands in one place):
 * the message, and what answers it. The answers are one line each where the session or a module of
 * its own (hostsRequests.ts, doctorRequest.ts) does the work; requestHandler.ts says how each
 * answer's errors reach the client.
 */
import { DaemonError } from '../base/daemonError';
import {
  ApplyHosts,
  CleanUp,
  DaemonErrorCode,
  DebugSite,
  GetDatabaseGroup,
  GetProjectState,
  GetStatus,
  Migrate,
  OpenProject,
  OpenSite,
  PopulateSites,
  RecentLogs,
  RemoveHosts,
  RunDoctor,
  SetMode,
  ShowHosts,
  Shutdown,
  StartServer,
  StopDebugging,
  StopServer,
  SwitchSite,
  TakeRecoveryReport,
} from '../../protocol/protocol';
import type { LogLine, OpenProjectParams, RecoveryReport, SitesResult, StatusResult } from '../../protocol/protocol';
import type { MessageConnection, RequestType, RequestType0 } from '../../protocol/wire';
import type { HostsEntries } from '../hosts/hostsEntries';
import { requestedHostsFile } from '../hosts/hostsFile';
import type { ComposePortEdits } from '../compose/composePortEdits';
import type { SharedDatabases } from '../sharedDb/sharedDatabases';
import type { ProjectSession } from '../session/projectSession';
import { doctorRequest } from './doctorRequest';
import { hostsRequests } from './hostsRequests';
import type { Handle } from './requestHandler';

/** What the table's answers need of the daemon. */
export interface DaemonRequests {
  readonly hosts: HostsEntries;
  readonly composePorts: ComposePortEdits;
  readonly shared: SharedDatabases;
  /** The open project at `root` (a sentence when it is not open). */
  session(root: unknown): Promise<ProjectSession>;
  sessions(): Iterable<ProjectSession>;
  openRoots(): Set<string>;
  /** Opens the project at `params.root` for `client` (told of it from now on). */
  openProject(client: Set<string>, params: OpenProjectParams): Promise<SitesResult>;
  recentLogs(session: ProjectSession): LogLine[];
  status(): Promise<StatusResult>;
  /** What the start-up recovery undid, told once: to whoever asks first. */
  takeRecoveryReport(): RecoveryReport | null;
  shutdown(reason: string): Promise<void>;
}

/** One row of the table: registers its answer on a connection. */
export type RequestRow = (connection: MessageConnection, handle: Handle) => void;

function request<P, R>(type: RequestType<P, R, void>, answer: (params: P) => Promise<R>): RequestRow {
  return (connection, handle) => connection.onRequest(type, handle(answer));
}

function request0<R>(type: RequestType0<R, void>, answer: () => Promise<R>): RequestRow {
  return (connection, handle) => connection.onRequest(type, handle(answer));
}

/** The rows for one client connection; `roots` are the projects that client opened. */
export function requestTable(daemon: DaemonRequests, roots: Set<string>): RequestRow[] {
  const session = (root: unknown): Promise<ProjectSession> => daemon.session(root);
  /** The project, once the schema guard lets it start (SchemaDrift until `confirmed`). */
  const startable = async ({ root, confirmed }: { root: unknown; confirmed?: boolean }): Promise<ProjectSession> => {
    const project = await session(root);
    await daemon.shared.guardStart(project.database, confirmed === true);
    return project;
  };
  const hosts = hostsRequests({ hosts: daemon.hosts, composePorts: daemon.composePorts, session, sessions: () => daemon.sessions() });
  return [
    request(OpenProject.type, (params) => daemon.openProject(roots, params)),
    request(GetProjectState.type, async ({ root }) => (await session(root)).state()),
    request(RecentLogs.type, async ({ root }) => daemon.recentLogs(await session(root))),
    request(SwitchSite.type, async (params) => (await startable(params)).serving.switchTo(params.site)),
    request(StartServer.type, async (params) => (await startable(params)).serving.start(params.site ?? null, params.restart === true)),
    request(OpenSite.type, async (params) =>
      (await startable(params)).serving.openSite(params.site, typeof params.preview === 'string' ? params.preview : null),
    ),
    request(DebugSite.type, async (params) => (await startable(params)).serving.debug.debugSite(params)),
    request(StopDebugging.type, async ({ root }) => (await session(root)).serving.debug.stopDebugging()),
    request(StopServer.type, async ({ root }) => (await session(root)).serving.stop()),
    request(SetMode.type, async ({ root, mode, hostsFile }) => {
      if (mode !== 'env' && mode !== 'hosts') throw new DaemonError(DaemonErrorCode.BadRequest, `Unknown mode "${String(mode)}": use env or hosts.`);
      return (await session(root)).serving.setMode(mode === 'hosts' ? { mode, hostsFile: requestedHostsFile(hostsFile) } : { mode });
    }),
    request(ApplyHosts.type, hosts.apply),
    request(RemoveHosts.type, hosts.remove),
    request(ShowHosts.type, hosts.show),
    request(CleanUp.type, hosts.cleanUp),
    request(RunDoctor.type, (params) => doctorRequest({ hosts: daemon.hosts, shared: daemon.shared, session, openRoots: () => daemon.openRoots() }, params)),
    request(GetDatabaseGroup.type, async ({ root }) => daemon.shared.group((await session(root)).database)),
    request(Migrate.type, async ({ root }) => daemon.shared.migrate((await session(root)).database)),
    request(PopulateSites.type, async ({ root }) => daemon.shared.populate((await session(root)).database)),
    request0(GetStatus.type, () => daemon.status()),
    request0(TakeRecoveryReport.type, () => Promise.resolve(daemon.takeRecoveryReport())),
    request0(Shutdown.type, () => {
      // Answer first, then go: the client waits for the reply.
      setImmediate(() => void daemon.shutdown('asked to shut down'));
      return Promise.resolve();
    }),
  ];
}
