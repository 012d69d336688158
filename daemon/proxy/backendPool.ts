/**
 * The warm backends of one project, bounded: a backend is started on first
 * need (a switch, or the first request for its site's address) and kept
 * warm; past the bound, the least recently used one is stopped, and one that
 * nobody used for the idle time is stopped too. The current site's backend
 * is pinned: it is never stopped to make room or for idleness, since the
 * project's own address serves it.
 */
import type { Runner, RunnerEvents } from '../runners/runner';
import { Backend } from './backend';
import type { BackendSpec } from './backend';
import { groupMemory } from './groupMemory';

export interface PoolOptions {
  /** How many backends stay warm (at least the current one). */
  bound(): number;
  /** Milliseconds without use after which a backend is stopped; 0 = never. */
  idleMs(): number;
  /** A runner of its own for a backend; `events` are the backend's (its other events are the caller's to label). */
  makeRunner(spec: BackendSpec, events: Pick<RunnerEvents, 'spawned' | 'exited'>): Runner;
  /** A backend changed (phase, memory, the set of backends). */
  changed(): void;
  /** A sentence about what the pool did, for the project's log. */
  note(text: string): void;
  /** How often memory is read and idle backends are looked for (default 10 s). */
  sweepMs?: number;
}

/** How often memory is read and idle backends are looked for. */
const SWEEP_MS = 10_000;

export class BackendPool {
  private readonly backends = new Map<string, Backend>();
  private pinnedKey: string | null = null;
  private readonly sweeper: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly options: PoolOptions) {
    this.sweeper = setInterval(() => void this.sweep(), options.sweepMs ?? SWEEP_MS);
    this.sweeper.unref();
  }

  /** The backends, most recently used first. */
  list(): Backend[] {
    return [...this.backends.values()].sort((a, b) => b.recency - a.recency);
  }

  get(key: string): Backend | undefined {
    return this.backends.get(key);
  }

  /** Marks `key` as the current site's backend (never stopped to make room or for idleness). */
  pin(key: string): void {
    this.pinnedKey = key;
  }

  /**
   * The warm backend for `spec`, started if there is none or the last one failed; resolves
   * once it answers, rejects with the sentence saying why it could not start.
   */
  async ensure(spec: BackendSpec): Promise<Backend> {
    if (this.closed) throw new Error(`the server for ${spec.label} is stopping`);
    let backend = this.backends.get(spec.key);
    if (backend?.phase === 'failed' || (backend && backend.spec.siteId !== spec.siteId)) {
      this.backends.delete(spec.key);
      void backend.stop();
      backend = undefined;
    }
    backend ??= this.start(spec);
    backend.touch();
    // Also after the bound was lowered (a setting), not only when a backend starts.
    if (this.backends.size > this.options.bound()) void this.makeRoom();
    await backend.ready;
    return backend;
  }

  private start(spec: BackendSpec): Backend {
    const backend = new Backend(spec, (events) => this.options.makeRunner(spec, events), {
      changed: () => this.options.changed(),
      failed: (failed, sentence) => this.options.note(`The backend for ${failed.spec.label} stopped: ${sentence}`),
    });
    this.backends.set(spec.key, backend);
    this.options.changed();
    // Once it answers, the pool may be over its bound with nothing else starting.
    void backend.ready.then(
      () => this.makeRoom(),
      () => undefined,
    );
    return backend;
  }

  /** Stops the least recently used backends past the bound; never the pinned one, nor one still starting. */
  private async makeRoom(): Promise<void> {
    const bound = Math.max(1, this.options.bound());
    const stoppable = this.list()
      .reverse()
      .filter((b) => b.spec.key !== this.pinnedKey && b.phase !== 'starting');
    const excess = this.backends.size - bound;
    await Promise.all(stoppable.slice(0, Math.max(0, excess)).map((backend) => this.remove(backend, `least recently used; ${bound} stay warm`)));
  }

  private async remove(backend: Backend, why: string): Promise<void> {
    if (this.backends.get(backend.spec.key) !== backend) return;
    this.backends.delete(backend.spec.key);
    this.options.changed();
    await backend.stop();
    this.options.note(`Stopped the warm backend for ${backend.spec.label} (${why}).`);
  }

  /** Stops backends idle for too long and reads the memory of the rest. */
  private async sweep(): Promise<void> {
    const idleMs = this.options.idleMs();
    const now = Date.now();
    for (const backend of this.list()) {
      if (idleMs > 0 && backend.spec.key !== this.pinnedKey && backend.phase !== 'starting' && now - backend.lastUsed > idleMs) {
        await this.remove(backend, `unused for ${Math.round(idleMs / 60_000)} min`);
      }
    }
    await this.readMemory();
  }

  /** Reads every backend's group memory; tells clients when a figure moved. */
  async readMemory(): Promise<void> {
    const backends = this.list().filter((b) => b.pid !== null);
    const memory = await groupMemory(backends.map((b) => b.pid as number));
    let moved = false;
    for (const backend of backends) moved = backend.setMemory(memory.get(backend.pid as number) ?? null) || moved;
    if (moved) this.options.changed();
  }

  /** Stops every backend and the sweeps (the project stops serving). */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweeper);
    const all = [...this.backends.values()];
    this.backends.clear();
    this.options.changed();
    await Promise.all(all.map((backend) => backend.stop()));
  }
}
