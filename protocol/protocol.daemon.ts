/**
 * The daemon as a whole: its version, its status, what its start-up recovery undid, its shutdown,
 * and the error codes of every request.
 */
import { RequestType0 } from './wire';
import type { ProjectState } from './protocol.serving';

/**
 * Bumped when a message changes shape; reported in the discovery file and `status`. A client
 * that finds a daemon of another protocol (or product) version replaces it once it is idle.
 */
export const PROTOCOL_VERSION = 12;

export interface DaemonInfo {
  pid: number;
  port: number;
  version: string;
  protocol: number;
}

export interface StatusResult {
  daemon: DaemonInfo;
  projects: ProjectState[];
}

/**
 * One change to the outside world that a daemon made and never undid, because it stopped
 * unexpectedly (killed, crashed), and that the next daemon's start-up recovery undid:
 * `server`, a runserver's process group stopped; `run`, another run of the project's code
 * stopped (the Sites table read, a probe, migrate); `hostsEntries`, the project's hosts block
 * removed; `hostsWrite`, a write in place of a hosts file left part way finished; `composePort`,
 * the web port mapping of a compose file put back; `composeService`, a compose web service stopped.
 */
export interface RecoveredChange {
  kind: 'server' | 'run' | 'hostsEntries' | 'hostsWrite' | 'composePort' | 'composeService';
  /** The project's folder; for `hostsWrite` the hosts file, for `composePort` the compose file. */
  path: string;
}

/** What the daemon's start-up recovery undid of a daemon that had stopped unexpectedly. */
export interface RecoveryReport {
  /** The whole of it in a sentence or two for people: "The daemon had stopped unexpectedly; its 3 servers were stopped and the hosts entries of demo removed." */
  message: string;
  undone: RecoveredChange[];
  /** What could not be undone, one sentence each (also in `message`). */
  failures: string[];
}

/**
 * client -> daemon: the daemon and every open project.
 * Frozen wire shape (with Shutdown): a client meets daemons of other versions through these two
 * only, to tell whether one is serving (`projects[].server.phase`, `projects[].project.name`) and
 * to replace or stop it. Never change their method names or those fields; add fields only.
 */
export namespace GetStatus {
  export const method = 'daemon/status' as const;
  export const type = new RequestType0<StatusResult, void>(method);
}

/**
 * client -> daemon: what this daemon's start-up recovery undid of a daemon that had stopped
 * unexpectedly, or null when there was nothing. Told once: the first client to ask gets the report
 * (and shows it to its person), every later one null. Clients ask on connecting; an older daemon
 * without this message answers MethodNotFound, which means the same as null.
 */
export namespace TakeRecoveryReport {
  export const method = 'daemon/takeRecoveryReport' as const;
  export const type = new RequestType0<RecoveryReport | null, void>(method);
}

/** client -> daemon: stop every server, clean up and exit. Frozen wire shape (see GetStatus): no params, null result. */
export namespace Shutdown {
  export const method = 'daemon/shutdown' as const;
  export const type = new RequestType0<void, void>(method);
}

/** Application error codes carried by JSON-RPC errors (outside the reserved range). */
export const DaemonErrorCode = {
  BadRequest: 4000,
  ProjectNotFound: 4001,
  SiteNotFound: 4002,
  NoInterpreter: 4003,
  ServerFailed: 4004,
  /** A newer switch replaced this one before its server answered. */
  Superseded: 4005,
  HostsNotWritable: 4006,
  /** The daemon is shutting down (`daemon stop`, idle exit, a signal): the request was cancelled. */
  ShuttingDown: 4007,
  /** The projects sharing this one's database have other migrations: starting needs `confirmed`. */
  SchemaDrift: 4008,
  /** `manage.py migrate` failed; the message ends with its last line. */
  MigrateFailed: 4009,
  /**
   * The project's config has an error (settings Python refuses, JSON that does not parse, two sites
   * with one id) or, for hosts entries, a domain that is no domain: nothing was changed.
   */
  ConfigInvalid: 4010,
  /** Another run of the project's code writes its database now (migrate, Populate Sites): try again once it ended. */
  ProjectBusy: 4011,
  /** A populate command (`multisite_plus_populate_sites`, `multisite_plus_rewrite_domains`) failed; the message ends with its last line. */
  PopulateFailed: 4012,
  /** Debug Site: neither the project's interpreter nor the client's copy has debugpy; the message says how to install it. */
  NoDebugpy: 4013,
} as const;
export type DaemonErrorCode = (typeof DaemonErrorCode)[keyof typeof DaemonErrorCode];
