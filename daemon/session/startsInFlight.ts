/**
 * A project's server starts under way, and one about to be made, so that Django's read on open can
 * wait for them: on two cores the read (an interpreter probe, a whole `django.setup()` and a query
 * of the Sites table) beside a starting runserver slowed both, and the person waits for the server,
 * not for the read (the tree already shows the sites the files declare). A command that names its
 * site opens the project and then starts it: the read waits for that start too, though it is not
 * under way yet. Every wait is bounded: a read is never held for long.
 */
export class StartsInFlight {
  private count = 0;
  /** Set while a start is expected and not made yet; ends it when it is not made in time. */
  private expecting: NodeJS.Timeout | null = null;
  private waiters: (() => void)[] = [];

  /** A start is about to be made: `settled` waits for it too, if it begins within `withinMs`. */
  expect(withinMs: number): void {
    this.endExpecting();
    this.expecting = setTimeout(() => this.release(), withinMs);
    this.expecting.unref();
  }

  /** The expected start will not be made first (it needs the read's answer): waits for it end. */
  release(): void {
    this.endExpecting();
    this.wakeIfIdle();
  }

  /** Counts `start` as under way until it settles; returns it. */
  track<T>(start: Promise<T>): Promise<T> {
    this.count++;
    this.endExpecting();
    const done = (): void => {
      this.count--;
      this.wakeIfIdle();
    };
    start.then(done, done);
    return start;
  }

  /** Resolves once no start is under way or expected, or after `capMs`, whichever comes first. */
  settled(capMs: number): Promise<void> {
    if (this.idle) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, capMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private get idle(): boolean {
    return this.count === 0 && this.expecting === null;
  }

  private endExpecting(): void {
    if (this.expecting) clearTimeout(this.expecting);
    this.expecting = null;
  }

  private wakeIfIdle(): void {
    if (!this.idle) return;
    // After the start's own callers: the answer of the switch that waited for it goes out before a read spawns its process.
    const waiters = this.waiters.splice(0);
    setImmediate(() => {
      for (const wake of waiters) wake();
    });
  }
}
