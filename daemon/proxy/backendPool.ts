/**
 * The warm backends of one project, bounded at every instant: at most
 * `bound()` backends start, run or are still being stopped, the current
 * site's among them. A backend starts on first need (a switch, or the first
 * request for its site's address) when a slot is free; else the least
 * recently used idle backend is stopped to make room and the site waits its
 * turn, first come first served (startQueue.ts), until a slot is free or its
 * wait ends in SiteQueued (the proxy's 503). Idle means running, not the
 * current site's (pinned: never stopped to make room or for idleness) and
 * serving no request: a request holds its backend (a Lease) until it is
 * over, so no request in flight loses its server. One nobody used for the
 * idle time is stopped too.
 */
import type { Runner, RunnerEvents } from '../runners/runner';
import { READY_TIMEOUT_MS } from '../runners/runner';
import { Backend } from './backend';
import type { BackendSpec } from './backend';
import { groupMemory } from './groupMemory';
import { SiteQueued } from './siteQueued';
import { StartQueue } from './startQueue';

export interface PoolOptions {
  /** How many backends may start, run or be stopping at once (at least the current one). */
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
  /** How long a site may wait for a slot (default: as long as a start may take). */
  waitMs?: number;
}

/** A backend held for one request: it is not stopped to make room or for idleness until released. */
export interface Lease {
  readonly backend: Backend;
  release(): void;
}

/** How often memory is read and idle backends are looked for. */
const SWEEP_MS = 10_000;

export class BackendPool {
  private readonly backends = new Map<string, Backend>();
  /** Backends told to stop, and their stops: their processes may still run, so they keep their slot until gone. */
  private readonly stopping = new Map<Backend, Promise<void>>();
  private readonly queue = new StartQueue<Lease>();
  private pinnedKey: string | null = null;
  private readonly sweeper: NodeJS.Timeout;
  private closed = false;
  private admitting = false;
  private admitAgain = false;

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

  /** Marks `key` as the current site's backend: never stopped to make room or for idleness, first in line when it waits. */
  pin(key: string): void {
    this.pinnedKey = key;
    this.queue.toFront(key);
    this.admit();
  }

  /**
   * The warm backend for `spec`, held until `until` aborts (the end of the request it serves);
   * started when there is none or the last one failed, once a slot is free. Resolves once it
   * answers; rejects with SiteQueued when no slot could be had in time, else with the sentence
   * saying why it could not start.
   */
  async acquire(spec: BackendSpec, until?: AbortSignal): Promise<Lease> {
    if (this.closed) throw new Error(`the server for ${spec.label} is stopping`);
    const old = this.backends.get(spec.key);
    // Started again when it failed, or for another SITE_ID, or to be debugged or no longer.
    if (old && (old.phase === 'failed' || old.spec.siteId !== spec.siteId || old.spec.debug?.port !== spec.debug?.port)) void this.remove(old, null);
    const warm = this.backends.get(spec.key);
    const queued = !warm && !this.queue.specs().some((s) => s.key === spec.key);
    const leased = warm
      ? Promise.resolve(this.lease(warm, until))
      : this.queue.wait(spec, {
          until,
          waitMs: this.options.waitMs ?? READY_TIMEOUT_MS,
          first: spec.key === this.pinnedKey,
          expired: () => this.expired(spec),
        });
    // Also after the bound was lowered (a setting), not only when a backend starts or stops.
    this.admit();
    if (queued && this.queue.specs().some((s) => s.key === spec.key)) {
      this.options.note(`${spec.label} waits for a warm slot: ${this.bound()} stay warm (warmSites), and each is starting, serving a request or current.`);
    }
    const lease = await leased;
    try {
      await lease.backend.ready;
    } catch (error) {
      lease.release();
      throw error;
    }
    return lease;
  }

  /** Stops the backend under `key`, if any, saying `why`. */
  async retire(key: string, why: string): Promise<void> {
    const backend = this.backends.get(key);
    if (backend) await this.remove(backend, why);
  }

  /** The warm backend for `spec` (see acquire), not held once it answers: a switch, or opening a site. */
  async ensure(spec: BackendSpec): Promise<Backend> {
    const lease = await this.acquire(spec);
    lease.release();
    return lease.backend;
  }

  private bound(): number {
    return Math.max(1, this.options.bound());
  }

  private lease(backend: Backend, until?: AbortSignal): Lease {
    backend.touch();
    const end = backend.hold();
    const release = (): void => {
      until?.removeEventListener('abort', release);
      end();
      this.admit();
    };
    if (until?.aborted) release();
    else until?.addEventListener('abort', release, { once: true });
    return { backend, release };
  }

  /** Starts what fits in the free slots, then stops idle backends for the sites still waiting (or past a lowered bound). */
  private admit(): void {
    if (this.admitting) {
      this.admitAgain = true; // a lease given back while admitting: look again once done
      return;
    }
    this.admitting = true;
    try {
      do {
        this.admitAgain = false;
        this.admitOnce();
      } while (this.admitAgain && !this.closed);
    } finally {
      this.admitting = false;
    }
  }

  private admitOnce(): void {
    if (this.closed) return;
    const bound = this.bound();
    this.refuseHopeless(bound);
    while (this.occupied() < bound) {
      const next = this.queue.shift();
      if (!next) break;
      const backend = this.start(next.spec);
      for (const waiter of next.waiters) waiter.admit(this.lease(backend, waiter.until));
    }
    // Backends being stopped free their slots once gone: only the live ones count here.
    let excess = this.live() + this.queue.length - bound;
    for (const backend of this.list().reverse()) {
      if (excess <= 0) break;
      if (backend.phase !== 'running' || backend.busy || this.kept(backend)) continue;
      excess--;
      void this.remove(backend, `least recently used; ${bound} stay warm`);
    }
  }

  /** Never stopped to make room or for idleness: the current site's, and one being debugged (a debugger may be paused in it). */
  private kept(backend: Backend): boolean {
    return backend.spec.key === this.pinnedKey || backend.spec.debug !== undefined;
  }

  /** Backends starting or running. */
  private live(): number {
    return [...this.backends.values()].filter((b) => b.phase !== 'failed').length;
  }

  /** Slots taken: backends starting or running, and those still being stopped. */
  private occupied(): number {
    return this.live() + this.stopping.size;
  }

  /** With one slot and the current site holding it, no other site can have a turn: say so at once. */
  private refuseHopeless(bound: number): void {
    const pinned = this.pinnedKey === null ? undefined : this.backends.get(this.pinnedKey);
    if (bound > 1 || !pinned || pinned.phase === 'failed') return;
    for (const spec of this.queue.specs().filter((s) => s.key !== pinned.spec.key)) {
      const sentence = `${spec.label} is not served while ${pinned.spec.label} is current: warmSites is 1, so only the current site stays warm. Switch to ${spec.label}, or raise warmSites.`;
      this.queue.refuse(spec.key, new SiteQueued(spec.label, sentence));
    }
  }

  private expired(spec: BackendSpec): SiteQueued {
    const waited = Math.round((this.options.waitMs ?? READY_TIMEOUT_MS) / 1000);
    const sentence = `${spec.label} is queued: it waited ${waited} s for one of the ${this.bound()} warm slots (warmSites), each starting, serving a request or current. Try again in a moment, or raise warmSites.`;
    return new SiteQueued(spec.label, sentence);
  }

  private start(spec: BackendSpec): Backend {
    const backend = new Backend(spec, (events) => this.options.makeRunner(spec, events), {
      changed: () => this.options.changed(),
      failed: (failed, sentence) => {
        this.options.note(`The backend for ${failed.spec.label} stopped: ${sentence}`);
        this.admit(); // its slot is free
      },
    });
    this.backends.set(spec.key, backend);
    this.options.changed();
    // Once it answers it may make room for a site waiting; once it failed its slot is free.
    void backend.ready.then(
      () => this.admit(),
      () => this.admit(),
    );
    return backend;
  }

  /** Stops `backend`; its slot stays taken until its processes are gone. `why` is noted, if given. */
  private async remove(backend: Backend, why: string | null): Promise<void> {
    if (this.backends.get(backend.spec.key) !== backend) return;
    this.backends.delete(backend.spec.key);
    const stopped = backend.stop();
    this.stopping.set(backend, stopped);
    this.options.changed();
    try {
      await stopped;
    } finally {
      this.stopping.delete(backend);
    }
    if (why) this.options.note(`Stopped the warm backend for ${backend.spec.label} (${why}).`);
    this.admit();
  }

  /** Stops backends idle for too long (never one serving a request) and reads the memory of the rest. */
  private async sweep(): Promise<void> {
    const idleMs = this.options.idleMs();
    const now = Date.now();
    for (const backend of this.list()) {
      if (idleMs > 0 && !this.kept(backend) && backend.phase !== 'starting' && !backend.busy && now - backend.lastUsed > idleMs) {
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

  /** Stops every backend and the sweeps (the project stops serving); sites still waiting are refused. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweeper);
    this.queue.refuse(null, new Error('the project stopped serving while the site waited for a warm slot'));
    const all = [...this.backends.values()];
    this.backends.clear();
    this.options.changed();
    await Promise.all([...all.map((backend) => backend.stop()), ...this.stopping.values()]);
  }
}
