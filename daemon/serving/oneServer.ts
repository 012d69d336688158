/**
 * Serving by one server restarted for every switch (restartServing.ts holds the server): with the
 * site's SITE_ID, or in hosts mode with none, where the request's Host picks the site and the
 * running server already serves every site. What `warmSites: 0` and hosts mode use.
 */
import type { BackendState, ServerState, Site } from '../../protocol/protocol';
import { urlPort } from '../../protocol/domainUrl';
import type { DebugOptions } from '../runners/debugpy';
import type { StartRequest } from '../runners/runner';
import type { RestartServing } from './restartServing';
import type { DebugServed, FailureWording, OpenedSite, Serving } from './serving';

export interface OneServerContext {
  /** How the server is started for `site`: with its SITE_ID, or (hosts mode) with none. */
  request(site: Site): StartRequest;
  /** Where `site` answers, given the server's address: hosts mode names its domain. */
  urlFor(site: Site, serverUrl: string | null): string | null;
  /** The project's port. */
  port(): number;
  /** Debug Site made `site` the current one: the one server serves one site at a time. */
  madeCurrent(site: Site): void;
}

export class OneServer implements Serving {
  readonly strategy = 'restart';
  /** The site served under debugpy, and how, until the server is started again without it. */
  private debugged: { site: Site; options: DebugOptions } | null = null;

  constructor(
    readonly server: RestartServing,
    private readonly context: OneServerContext,
  ) {}

  get isServing(): boolean {
    return this.server.serving;
  }

  get port(): number {
    return this.context.port();
  }

  servesAlready(site: Site): boolean {
    return this.context.request(site).siteId === null && this.server.serving && this.server.state().phase === 'running';
  }

  /** A switch is on its way: the state says so at once, before its turn in the queue. */
  switching(): void {
    this.server.set({ phase: 'starting', error: null });
  }

  serve(site: Site, signal: AbortSignal, failure: FailureWording): Promise<void> {
    return this.start(this.context.request(site), signal, failure);
  }

  /** (Re)starts the server for `request` once the old one is gone, so a port it held counts as free. */
  async start(request: StartRequest, signal: AbortSignal, failure: FailureWording): Promise<void> {
    if (signal.aborted) throw failure(null);
    if (!request.debug) this.debugged = null; // started again without debugpy
    this.server.set({ phase: 'starting', error: null });
    await this.server.stop();
    await this.server.start(request, signal, failure);
  }

  open(): Promise<OpenedSite> | null {
    return null;
  }

  async debug(site: Site, options: DebugOptions, signal: AbortSignal, failure: FailureWording): Promise<DebugServed> {
    this.context.madeCurrent(site);
    this.debugged = { site, options };
    await this.start({ ...this.context.request(site), debug: options }, signal, failure);
    return { url: this.urlFor(site) ?? '', pid: this.server.state().pid, pathMappings: this.server.pathMappings };
  }

  async stopDebugging(current: Site | null, signal: AbortSignal, failure: FailureWording): Promise<void> {
    const debugged = this.debugged;
    this.debugged = null;
    if (debugged && current && this.server.serving) await this.serve(current, signal, failure);
  }

  debugging(): { site: Site; port: number; pid: number | null } | null {
    const server = this.server.state();
    return this.debugged && server.phase !== 'stopped' ? { site: this.debugged.site, port: this.debugged.options.port, pid: server.pid } : null;
  }

  urlFor(site: Site): string | null {
    return this.context.urlFor(site, this.server.state().url);
  }

  portUrl(): string | null {
    return null;
  }

  state(): ServerState {
    return this.server.state();
  }

  backends(): BackendState[] {
    return [];
  }

  ports(): number[] {
    const url = this.server.state().url;
    return url ? [urlPort(url)] : [];
  }

  syncSitePorts(): Promise<void> {
    return Promise.resolve();
  }

  readMemory(): Promise<void> {
    return Promise.resolve();
  }

  async stop(): Promise<void> {
    this.debugged = null;
    await this.server.stop();
  }
}
