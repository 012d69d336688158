/** Django's read on open waits for the server starts under way, never longer than its cap. */
import * as assert from 'node:assert/strict';
import { StartsInFlight } from '../../daemon/startsInFlight';

const tick = (ms = 5): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('server starts under way', () => {
  it('settles at once with no start, and once the last of several starts settled, failed or not', async () => {
    const starts = new StartsInFlight();
    await starts.settled(10_000);
    let finish!: () => void;
    let fail!: (error: Error) => void;
    const one = starts.track(new Promise<void>((resolve) => (finish = resolve)));
    const two = starts.track(new Promise<void>((_, reject) => (fail = reject)));
    two.catch(() => undefined);
    let settled = false;
    void starts.settled(10_000).then(() => (settled = true));
    finish();
    await one;
    await tick();
    assert.equal(settled, false, 'one start is still under way');
    fail(new Error('runserver exited'));
    await tick();
    assert.equal(settled, true);
  });

  it('stops waiting after its cap while a start hangs', async () => {
    const starts = new StartsInFlight();
    void starts.track(new Promise<void>(() => undefined));
    const before = Date.now();
    await starts.settled(50);
    assert.ok(Date.now() - before >= 45);
  });
});
