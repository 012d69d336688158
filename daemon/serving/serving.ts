/**
 * One way of serving a project, behind one interface: the one server restarted per switch
 * (oneServer.ts: `warmSites` 0, hosts mode) or the local proxy with its warm backends
 * (proxyServing.ts). projectServing.ts chooses one at a time; the session holds the chosen one and
 * never asks which it is. A new way to serve (one process for every site) is a new implementation.
 */
import type { BackendState, PathMapping, PreviewAddresses, ServerState, ServingStrategy, Site } from '../../protocol/protocol';
import type { DebugOptions } from '../runners/debugpy';

/** How a failure of serving `label` is worded for people (base/daemonError.ts's servingFailure). */
export type FailureWording = (error: unknown) => Error;

/** A site served under debugpy: where it answers, its server's process and where its files are for a debugger. */
export interface DebugServed {
  url: string;
  pid: number | null;
  pathMappings: PathMapping[];
}

/** A site made to answer beside the current one: its address, and its preview's when one was asked for. */
export interface OpenedSite {
  url: string;
  preview: PreviewAddresses | null;
}

export interface Serving {
  readonly strategy: ServingStrategy;
  /** Whether anything of the project is served now. */
  readonly isServing: boolean;
  /** The port the project's address carries (once listening; else the one it will try first). */
  readonly port: number;
  /** Whether making `site` the current one needs nothing served anew (the running server already serves it). */
  servesAlready(site: Site): boolean;
  /** Serves `site` as the current site and waits until it answers, or until `signal` says it was replaced. */
  serve(site: Site, signal: AbortSignal, failure: FailureWording): Promise<void>;
  /** Makes `site` answer at its own address beside the current site; null where only a switch can make it answer. */
  open(site: Site, preview: string | null): Promise<OpenedSite> | null;
  /**
   * Serves `site` under debugpy; resolves once a debugger can attach. Behind the proxy its backend is
   * started so and the other sites keep serving; the one server is restarted for it, and it becomes the
   * current site (in hosts mode on the port it had, which the hosts entries' addresses carry).
   */
  debug(site: Site, options: DebugOptions, signal: AbortSignal, failure: FailureWording): Promise<DebugServed>;
  /** Serves the debugged site as before, without debugpy (`current`: the site served now). */
  stopDebugging(current: Site | null, signal: AbortSignal, failure: FailureWording): Promise<void>;
  /** The site served under debugpy, its debugpy port and its server's process, while there is one. */
  debugging(): { site: Site; port: number; pid: number | null } | null;
  /** Where `site`, the current one, answers now: the proxy's address, else the one server's (its last once stopped). */
  urlFor(site: Site): string | null;
  /** `site` at a port of its own, when it has one. */
  portUrl(site: Site): string | null;
  /** The server as the project's state shows it, and the servers behind the proxy. */
  state(): ServerState;
  backends(): BackendState[];
  /** The ports this way of serving holds: the doctor must not call them taken. */
  ports(): number[];
  /** The sites were read again, or their ports' setting changed: their own ports follow. */
  syncSitePorts(): Promise<void>;
  /** Reads the servers' memory now, for a status that shows it. */
  readMemory(): Promise<void>;
  /** Stops everything it serves. */
  stop(): Promise<void>;
}
