/**
 * Runs jobs one after another, each starting when the one before has settled
 * (failed or not): how the daemon keeps two changes to one thing (a hosts
 * file, a project's server) from ever overlapping.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(job: () => Promise<T>): Promise<T> {
    const run = this.tail.then(job);
    this.tail = run.catch(() => undefined);
    return run;
  }
}
