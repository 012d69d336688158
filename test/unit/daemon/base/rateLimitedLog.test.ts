/** Lines an outsider can cause at will: a few per window, then one summary line. */
import * as assert from 'node:assert/strict';
import { RateLimitedLog } from '../../../../daemon/base/rateLimitedLog';
import type { LogClock } from '../../../../daemon/base/rateLimitedLog';

/** A clock the test moves by hand; timers run when their time is reached. */
function fakeClock(): LogClock & { advance(ms: number): void } {
  let now = 0;
  let timers: { at: number; fn: () => void }[] = [];
  return {
    now: () => now,
    later: (fn, ms) => timers.push({ at: now + ms, fn }),
    advance(ms) {
      now += ms;
      const due = timers.filter((t) => t.at <= now);
      timers = timers.filter((t) => t.at > now);
      for (const t of due) t.fn();
    },
  };
}

describe('a rate-limited log', () => {
  it('writes the first lines of a window, counts the rest and sums them up when the window ends', () => {
    const lines: string[] = [];
    const clock = fakeClock();
    const log = new RateLimitedLog((text) => lines.push(text), 'refused connections', 3, 60_000, clock);
    for (let n = 1; n <= 1000; n++) log.line(`refused ${n}`);
    assert.deepEqual(lines, ['refused 1', 'refused 2', 'refused 3']);
    clock.advance(59_999);
    assert.equal(lines.length, 3);
    clock.advance(1);
    assert.deepEqual(lines.slice(3), ['997 more refused connections in 60 s were not logged one by one']);
    log.line('refused again');
    assert.deepEqual(lines.slice(4), ['refused again'], 'a new window starts with its own lines');
  });

  it('sums up a window before the next window’s lines even when its timer comes late', () => {
    const lines: string[] = [];
    let now = 0;
    const log = new RateLimitedLog((text) => lines.push(text), 'refused connections', 1, 1000, { now: () => now, later: () => undefined });
    log.line('a');
    log.line('b');
    log.line('c');
    now = 1000;
    log.line('d');
    assert.deepEqual(lines, ['a', '2 more refused connections in 1 s were not logged one by one', 'd']);
  });

  it('writes no summary when nothing was held back', () => {
    const lines: string[] = [];
    const clock = fakeClock();
    const log = new RateLimitedLog((text) => lines.push(text), 'refused connections', 3, 60_000, clock);
    log.line('one');
    clock.advance(120_000);
    log.line('two');
    assert.deepEqual(lines, ['one', 'two']);
  });
});
