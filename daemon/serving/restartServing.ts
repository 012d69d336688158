/**
 * The one server of oneServer.ts (runserver, or the compose web service), restarted for every switch
 * with the site's SITE_ID, or with none in hosts mode. It owns its runner (made again only when the
 * project names another), the one server and its state, which it keeps (stopped, failed) while the
 * proxy serves.
 */
import type { PathMapping, ServerState } from '../../protocol/protocol';
import type { Runner, RunnerEvents, RunnerKind, Server, StartRequest } from '../runners/runner';

export interface RestartContext {
  runnerKind(): RunnerKind;
  /** A runner for the project's port, reporting through `events`. */
  makeRunner(events: Pick<RunnerEvents, 'spawned' | 'exited'>): Runner;
  /** The server's state changed. */
  changed(): void;
}

const STOPPED: ServerState = { phase: 'stopped', pid: null, url: null, error: null };

export class RestartServing {
  private runnerInUse: Runner | null = null;
  private server: Server | null = null;
  private current: ServerState = STOPPED;

  constructor(private readonly context: RestartContext) {}

  /** The runner the project's config names, made once (again only if the config names another). */
  get runner(): Runner {
    const kind = this.context.runnerKind();
    if (this.runnerInUse?.kind !== kind) {
      this.runnerInUse = this.context.makeRunner({
        spawned: (server) => {
          this.server = server;
          this.set({ pid: server.pid, url: server.url });
        },
        exited: (server, sentence) => {
          if (this.server !== server) return;
          this.server = null;
          this.set({ phase: 'failed', pid: null, error: sentence });
        },
      });
    }
    return this.runnerInUse;
  }

  get serving(): boolean {
    return this.server !== null;
  }

  /** Where the server's files are for a debugger, when not at this machine's paths (Server.pathMappings). */
  get pathMappings(): PathMapping[] {
    return this.server?.pathMappings ?? [];
  }

  state(): ServerState {
    return { ...this.current };
  }

  set(next: Partial<ServerState>): void {
    this.current = { ...this.current, ...next };
    this.context.changed();
  }

  /**
   * Starts the server for `request` (the caller has stopped the old one and said 'starting') and waits until it
   * answers. A start that fails stops what it started; `failure` words the error, which the
   * state keeps unless the start was cancelled.
   */
  async start(request: StartRequest, signal: AbortSignal, failure: (error: unknown) => Error): Promise<void> {
    try {
      await this.runner.start(request, signal);
      if (signal.aborted) throw failure(null);
      // Its whole group may have died between answering and now.
      if (!this.server) throw new Error('the server stopped right after it answered; see the log');
      this.set({ phase: 'running' });
    } catch (error) {
      const worded = failure(error);
      if (signal.aborted) throw worded;
      await this.stop();
      this.set({ phase: 'failed', error: worded.message });
      throw worded;
    }
  }

  /** Stops the server (its whole process group, or the compose service); the state is the caller's to say. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    await server?.stop();
  }

  /** Stopped, and says so. */
  async stopped(): Promise<void> {
    await this.stop();
    this.current = STOPPED;
    this.context.changed();
  }
}
