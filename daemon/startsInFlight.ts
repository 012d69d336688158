/**
 * A project's server starts under way, so that Django's read on open can wait for them: on two
 * cores the read (a whole `django.setup()` and a query of the Sites table) beside a starting
 * runserver slowed both, and the person waits for the server, not for the read (the tree already
 * shows the sites the files declare). The wait is bounded: a read is never held for long.
 */
export class StartsInFlight {
  private count = 0;
  private waiters: (() => void)[] = [];

  /** Counts `start` as under way until it settles; returns it. */
  track<T>(start: Promise<T>): Promise<T> {
    this.count++;
    const done = (): void => {
      if (--this.count > 0) return;
      for (const wake of this.waiters.splice(0)) wake();
    };
    start.then(done, done);
    return start;
  }

  /** Resolves once no start is under way, or after `capMs`, whichever comes first. */
  settled(capMs: number): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, capMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
