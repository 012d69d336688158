/**
 * Log lines an outsider can cause at will (one per refused connection) are
 * written up to `limit` per window; the rest are only counted, and one line at
 * the end of the window says how many there were. A flood then neither fills
 * the disk nor hides that it happened (issue 14: 5,000 refused connections
 * wrote 390 KB).
 */

export interface LogClock {
  now(): number;
  /** Runs `fn` once after `ms`; must not keep the process alive. */
  later(fn: () => void, ms: number): void;
}

const realClock: LogClock = {
  now: () => Date.now(),
  later: (fn, ms) => void setTimeout(fn, ms).unref(),
};

export class RateLimitedLog {
  private windowEnds = 0;
  private logged = 0;
  private suppressed = 0;

  /** `what` names the suppressed lines in the summary: "refused connections". */
  constructor(
    private readonly log: (text: string) => void,
    private readonly what: string,
    private readonly limit = 20,
    private readonly windowMs = 60_000,
    private readonly clock: LogClock = realClock,
  ) {}

  line(text: string): void {
    const now = this.clock.now();
    if (now >= this.windowEnds) {
      this.summarize(); // a window's summary comes before the next window's lines, even if its timer is late
      this.windowEnds = now + this.windowMs;
      this.logged = 0;
    }
    if (this.logged < this.limit) {
      this.logged++;
      this.log(text);
      return;
    }
    if (this.suppressed++ === 0) this.clock.later(() => this.summarize(), this.windowEnds - now);
  }

  private summarize(): void {
    if (this.suppressed === 0) return;
    this.log(`${this.suppressed} more ${this.what} in ${Math.round(this.windowMs / 1000)} s were not logged one by one`);
    this.suppressed = 0;
  }
}
