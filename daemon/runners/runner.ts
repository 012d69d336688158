/**
 * What serves a project: one interface for every way of running its web
 * server (local runserver, the compose web service, and the next ones), so
 * the project session orchestrates switches without knowing which it has.
 * Each runner owns its interpreter, its port choice and its records of what
 * it started (process journal, compose runs).
 */
import type { PathMapping } from '../../protocol/protocol';
import type { DebugOptions } from './debugpy';

/** Which runner a project uses (multisite.json `runner`; absent means local). */
export type RunnerKind = 'local' | 'compose';

export interface StartRequest {
  /** The forced site, or null to let the request's Host header pick it. */
  siteId: number | null;
  /** What is served, for sentences: a site's label, or "every site". */
  label: string;
  /** The port hosts mode needs, asked once the old server is gone; absent: the runner picks its own. */
  port?: () => Promise<number>;
  /**
   * When the Host picks the site: the Host the readiness probe sends to the server at `port`,
   * one a real request to a site sends too. Django finds no site for 127.0.0.1 and would log a
   * 500 with a traceback on every start. Absent: `127.0.0.1:<port>`.
   */
  readyHost?: (port: number) => string;
  /** Serve under debugpy (issue 24): the start answers once the site answers and debugpy listens. */
  debug?: DebugOptions;
  /** One server for every site, each request with the SITE_ID the proxy marks it with (perRequestScript.ts); `siteId` is then the one outside requests. */
  perRequest?: PerRequestStart;
}

/** How one server for every site is started: the secret of this start, which the proxy's marks carry. */
export interface PerRequestStart {
  secret: string;
}

/** A server a runner started. */
export interface Server {
  readonly url: string;
  /** Its process group, when it is a process of ours (compose's container is not). */
  readonly pid: number | null;
  /** Where its files are, when it sees them elsewhere than this machine does (a container's mounts), for a debugger. */
  readonly pathMappings?: PathMapping[];
  /** Stops it and forgets its records; resolves once it is gone. */
  stop(): Promise<void>;
}

/** What a runner tells the session that owns it. */
export interface RunnerEvents {
  log(stream: 'stdout' | 'stderr', text: string): void;
  /** A sentence from the daemon about what the runner does. */
  note(text: string): void;
  /** `server` was started and is not answering yet: its address for the state, and the server to stop if the start fails. */
  spawned(server: Server): void;
  /** `server`, after it answered, ended on its own; `sentence` says how and what to do. */
  exited(server: Server, sentence: string): void;
}

/** What a runner needs from the project it serves. */
export interface RunnerContext {
  root: string;
  /** The project's interpreter (found once by the project's sites). */
  interpreter(): Promise<string>;
  /** The interpreter to start with before the search answered: the first candidate that exists (ProjectSites.interpreterToStart). */
  interpreterToStart(): Promise<string>;
  /** The settings module to run with (DJANGO_SETTINGS_MODULE); absent or null: what manage.py names. */
  settingsModule?(): string | null;
  /** The settings module the person chose; null: none. A compose service gets only this one (its own environment decides otherwise). */
  chosenSettingsModule?(): string | null;
  /** The port the project prefers (multisite.json, else the client's); 0: any free port (a backend behind the proxy). */
  preferredPort(): number;
  events: RunnerEvents;
}

export interface Runner {
  readonly kind: RunnerKind;
  /**
   * Starts a server and resolves once it answers. Every server it starts is
   * announced through `spawned` first; one that fails or is aborted is left for
   * the caller to stop (an aborted start's server is stopped by the next one).
   */
  start(request: StartRequest, signal: AbortSignal): Promise<Server>;
}

/** Makes the runner of `kind` for one project. */
export type RunnerFactory = (kind: RunnerKind, context: RunnerContext) => Runner;

/** How long a start waits for its server to answer. */
export const READY_TIMEOUT_MS = Number(process.env.MULTISITE_LOCAL_READY_TIMEOUT_MS ?? 60_000);

/** The forced site as the log says it. */
export function describeForced(siteId: number | null): string {
  return siteId === null ? 'no forced SITE_ID (the Host header picks the site)' : `SITE_ID=${siteId}`;
}
