/** Django's read on open waits for the server starts under way or about to be made, never longer than its cap. */
import * as assert from 'node:assert/strict';
import { StartsInFlight } from '../../../../daemon/session/startsInFlight';

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

  it('waits for a start expected after an open, once it began, until it settled', async () => {
    const starts = new StartsInFlight();
    starts.expect(10_000);
    let settled = false;
    void starts.settled(10_000).then(() => (settled = true));
    await tick();
    assert.equal(settled, false, 'the expected start was not made yet');
    let finish!: () => void;
    const start = starts.track(new Promise<void>((resolve) => (finish = resolve)));
    await tick();
    assert.equal(settled, false, 'the start is under way');
    finish();
    await start;
    await tick();
    assert.equal(settled, true);
  });

  it('goes ahead when the expected start is not made in time, or at once when released', async () => {
    const late = new StartsInFlight();
    late.expect(40);
    const before = Date.now();
    await late.settled(10_000);
    assert.ok(Date.now() - before >= 35, 'waited for the start to begin');
    assert.ok(Date.now() - before < 5_000, 'not for the cap');

    const released = new StartsInFlight();
    released.expect(10_000);
    let settled = false;
    void released.settled(10_000).then(() => (settled = true));
    await tick();
    assert.equal(settled, false);
    released.release(); // the start needs the read's answer: it must not wait for that start
    await tick();
    assert.equal(settled, true);
  });
});
