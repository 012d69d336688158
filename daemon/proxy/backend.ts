/**
 * One server behind the local proxy: a site's runserver with its SITE_ID, or
 * the one server that serves every site by Host. It is started once through
 * a runner of its own (so its log lines and exit carry its label) and then
 * kept warm; it knows its phase, when it was last used (the pool stops the
 * least recently used first), how many requests it is serving (the pool
 * never stops one that is) and why it failed.
 */
import { randomBytes } from 'node:crypto';
import type { BackendPhase, BackendState, PathMapping, Site } from '../../protocol/protocol';
import type { DebugOptions } from '../runners/debugpy';
import type { Runner, RunnerEvents, Server } from '../runners/runner';

/** What a backend serves. */
export interface BackendSpec {
  /** The pool's key: the site's slug, or `*` for the backend that serves every site. */
  key: string;
  /** The site's slug; null for the backend that serves every site. */
  site: string | null;
  /** The SITE_ID it is started with (null: the request's Host picks the site). */
  siteId: number | null;
  label: string;
  /** With no SITE_ID: the Host its readiness probe sends (see StartRequest.readyHost). */
  readyHost?: (port: number) => string;
  /** Served under debugpy (a debugger may be paused in it): never stopped to make room or for idleness. */
  debug?: DebugOptions;
  /** One server for every site, each request with its site's SITE_ID (perRequestScript.ts); `siteId` is null, this is the one it starts with. */
  perRequest?: { startSiteId: number };
}

/** What a backend reports to its pool. */
export interface BackendEvents {
  changed(): void;
  /** The backend's server ended on its own after it answered; `sentence` says how. */
  failed(backend: Backend, sentence: string): void;
}

/** Orders uses within one millisecond too (a switch and the request after it often share one). */
let uses = 0;

export class Backend {
  private phaseNow: BackendPhase = 'starting';
  private server: Server | null = null;
  private errorNow: string | null = null;
  private used = Date.now();
  private useOrder = ++uses;
  private rss: number | null = null;
  private holds = 0;
  private readonly abort = new AbortController();
  /** This start's secret, which the proxy's marks of a request's site carry (one server for every site). */
  readonly secret = randomBytes(16).toString('hex');
  /** Resolves once the backend answers; rejects with the reason it could not start. */
  readonly ready: Promise<void>;

  constructor(
    readonly spec: BackendSpec,
    makeRunner: (events: Pick<RunnerEvents, 'spawned' | 'exited'>) => Runner,
    private readonly events: BackendEvents,
  ) {
    const runner = makeRunner({
      spawned: (server) => {
        this.server = server;
        events.changed();
      },
      exited: (server, sentence) => {
        if (this.server !== server) return;
        this.server = null;
        this.fail(sentence);
        events.failed(this, sentence);
      },
    });
    this.ready = (async () => {
      try {
        const perRequest = spec.perRequest && { secret: this.secret };
        const siteId = spec.perRequest?.startSiteId ?? spec.siteId;
        await runner.start({ siteId, label: spec.label, readyHost: spec.readyHost, debug: spec.debug, perRequest }, this.abort.signal);
        if (this.abort.signal.aborted) throw new Error(`the backend for ${spec.label} was stopped`);
        if (!this.server) throw new Error('the server stopped right after it answered; see the log');
        this.phaseNow = 'running';
        events.changed();
      } catch (error) {
        const reason = this.abort.signal.aborted ? `the backend for ${spec.label} was stopped before it answered` : (error as Error).message;
        // A runner leaves a server that did not answer to its caller.
        const server = this.server;
        this.server = null;
        await server?.stop();
        this.fail(reason);
        throw new Error(reason);
      }
    })();
    // A start nobody waits for any more must not be an unhandled rejection.
    this.ready.catch(() => undefined);
  }

  private fail(reason: string): void {
    if (this.phaseNow === 'failed') return;
    this.phaseNow = 'failed';
    this.errorNow = reason;
    this.events.changed();
  }

  get phase(): BackendPhase {
    return this.phaseNow;
  }

  get pid(): number | null {
    return this.server?.pid ?? null;
  }

  /** Where its server's files are for a debugger, when not at this machine's paths (Server.pathMappings). */
  get pathMappings(): PathMapping[] {
    return this.server?.pathMappings ?? [];
  }

  /** How the proxy marks a request for `site` when this is one server for every site (`<secret>:<SITE_ID>`, perRequestScript.ts); else null. */
  siteMark(site: Site): string | null {
    return this.spec.perRequest && site.id !== null ? `${this.secret}:${site.id}` : null;
  }

  /** The backend's port on 127.0.0.1, once its server was spawned. */
  get port(): number | null {
    return this.server ? Number(new URL(this.server.url).port) : null;
  }

  get lastUsed(): number {
    return this.used;
  }

  /** Increases with every use: the pool's order of recency. */
  get recency(): number {
    return this.useOrder;
  }

  touch(): void {
    this.used = Date.now();
    this.useOrder = ++uses;
  }

  /** Whether a request it serves (or waits to serve) is still in flight. */
  get busy(): boolean {
    return this.holds > 0;
  }

  /** One more request in flight; the function returned ends it (once, however often called). */
  hold(): () => void {
    this.holds++;
    let held = true;
    return () => {
      if (held) this.holds--;
      held = false;
    };
  }

  /** Records its group's resident memory; says whether it moved enough to be worth telling clients (1 MB). */
  setMemory(bytes: number | null): boolean {
    const moved = bytes === null || this.rss === null ? bytes !== this.rss : Math.abs(bytes - this.rss) >= 1 << 20;
    this.rss = bytes;
    return moved;
  }

  state(): BackendState {
    return {
      site: this.spec.site,
      label: this.spec.label,
      phase: this.phaseNow,
      pid: this.pid,
      url: this.server?.url ?? null,
      rssBytes: this.rss,
      lastUsed: this.used,
      error: this.errorNow,
    };
  }

  /** Stops its server (a start still waiting is cancelled) and resolves once it is gone. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.ready.catch(() => undefined);
    const server = this.server;
    this.server = null;
    await server?.stop();
  }
}
