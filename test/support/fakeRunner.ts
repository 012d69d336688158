/**
 * A Runner whose starts answer or fail when the test says so, for fast
 * in-process tests of the session's orchestration (superseded switches,
 * failed starts, mode changes) without Python. It behaves as the real
 * runners do at their edges: a start announces its server through
 * `spawned`, and an aborted start rejects.
 */
import type { Runner, RunnerContext, RunnerFactory, RunnerKind, Server, StartRequest } from '../../daemon/runners/runner';

export class FakeServer implements Server {
  /** stop() was called. */
  stopped = false;
  /** Its stop finished: nothing of it runs any more. */
  gone = false;
  /** When set, a stop finishes only once this resolves (a server slow to go). */
  stopGate: Promise<void> | null = null;

  constructor(
    readonly url: string,
    readonly pid: number,
  ) {}

  async stop(): Promise<void> {
    this.stopped = true;
    await this.stopGate;
    this.gone = true;
  }
}

/** One call of `start`, waiting for the test to answer or fail it. */
export class FakeStart {
  server: FakeServer | null = null;
  /** The port hosts mode asked for, once `spawn` asked it. */
  port: number | null = null;
  /** The start failed or was aborted (a server it spawned is the caller's to stop). */
  rejected = false;
  readonly result: Promise<Server>;
  private settle!: { resolve(server: Server): void; reject(error: Error): void };

  constructor(
    readonly request: StartRequest,
    readonly signal: AbortSignal,
    private readonly context: RunnerContext,
    private readonly pid: number,
  ) {
    this.result = new Promise<Server>((resolve, reject) => (this.settle = { resolve, reject }));
    this.result.catch(() => (this.rejected = true));
    // The real runners notice an abort while they wait for their server to answer.
    signal.addEventListener('abort', () => this.settle.reject(new Error('superseded')), { once: true });
  }

  /** Starts the server process (not answering yet), on the port the request asks for or the preferred one. */
  async spawn(): Promise<FakeServer> {
    this.port = this.request.port ? await this.request.port() : this.context.preferredPort();
    this.server = new FakeServer(`http://127.0.0.1:${this.port}/`, this.pid);
    this.context.events.spawned(this.server);
    return this.server;
  }

  /** The server answers HTTP: the start resolves. */
  async answer(): Promise<FakeServer> {
    const server = this.server ?? (await this.spawn());
    this.settle.resolve(server);
    return server;
  }

  fail(message: string): void {
    this.settle.reject(new Error(message));
  }

  /** Whether anything of this start may still run: a server not gone, or a start still waiting. */
  get running(): boolean {
    return this.server ? !this.server.gone : !this.rejected;
  }

  /** The answering server ends on its own. */
  exit(sentence: string): void {
    if (this.server) this.context.events.exited(this.server, sentence);
  }
}

/** Fake pids: never signalled, only compared. */
let lastPid = 10_000;

export class FakeRunner implements Runner {
  constructor(
    readonly kind: RunnerKind,
    private readonly context: RunnerContext,
    private readonly onStart: (start: FakeStart) => void,
  ) {}

  start(request: StartRequest, signal: AbortSignal): Promise<Server> {
    const start = new FakeStart(request, signal, this.context, ++lastPid);
    this.onStart(start);
    return start.result;
  }
}

/** A runner factory making fake runners, and the starts they were asked for, in order. */
export class FakeRunners {
  readonly starts: FakeStart[] = [];
  private taken = 0;
  private arrived: (() => void) | null = null;

  readonly factory: RunnerFactory = (kind, context) =>
    new FakeRunner(kind, context, (start) => {
      this.starts.push(start);
      this.arrived?.();
    });

  /** Lets the next start answer, then resolves with `work` (a switch waiting for that start). */
  async answered<T>(work: Promise<T>): Promise<T> {
    await (await this.next()).answer();
    return work;
  }

  /** The next start not yet returned by next(), once the session asked for it. */
  async next(): Promise<FakeStart> {
    while (this.starts.length <= this.taken) await new Promise<void>((resolve) => (this.arrived = resolve));
    return this.starts[this.taken++];
  }
}
