/**
 * The warm backend pool on its own, with fake runners: a backend starts once
 * and is shared, the bound stops the least recently used (never the pinned
 * current site's, never one still starting), idle ones stop, a failed one is
 * started again on its next use, and closing stops everything.
 */
import * as assert from 'node:assert/strict';
import type { BackendSpec } from '../../../../daemon/proxy/backend';
import { BackendPool } from '../../../../daemon/proxy/backendPool';
import { FakeRunners } from '../../../support/fakeRunner';

const spec = (key: string, siteId: number): BackendSpec => ({ key, site: key, siteId, label: key });
const tick = (ms = 5): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('BackendPool (fake runners)', () => {
  let runners: FakeRunners;
  let notes: string[];
  let pool: BackendPool;
  let bound: number;
  let idleMs: number;

  beforeEach(() => {
    runners = new FakeRunners();
    notes = [];
    bound = 2;
    idleMs = 0;
    pool = new BackendPool({
      bound: () => bound,
      idleMs: () => idleMs,
      makeRunner: (_spec, events) =>
        runners.factory('local', {
          root: '/p',
          interpreter: () => Promise.resolve('python3'),
          interpreterToStart: () => Promise.resolve('python3'),
          preferredPort: () => 0,
          events: { ...events, log: () => undefined, note: () => undefined },
        }),
      changed: () => undefined,
      note: (text) => notes.push(text),
      sweepMs: 20,
    });
  });

  afterEach(() => pool.close());

  /** Ensures `key`'s backend and lets its start answer when it is a new one. */
  async function warm(key: string, siteId: number): Promise<void> {
    const before = runners.starts.length;
    const ensured = pool.ensure(spec(key, siteId));
    if (pool.get(key)?.phase === 'starting' && runners.starts.length > before) await runners.answered(ensured);
    else await ensured;
  }

  it('starts a backend once, however many ask for it at the same time', async () => {
    const first = pool.ensure(spec('a', 1));
    const second = pool.ensure(spec('a', 1));
    await runners.answered(Promise.all([first, second]));
    assert.equal(runners.starts.length, 1);
    assert.equal(await first, await second);
  });

  it('stops the least recently used past the bound, but never the pinned one nor one still starting', async () => {
    await warm('a', 1);
    pool.pin('a');
    await warm('b', 2);
    await warm('b', 2); // b used after a, but a is pinned
    const c = pool.ensure(spec('c', 3));
    await tick();
    assert.deepEqual(
      runners.starts.map((s) => s.server?.stopped ?? null),
      [false, true, null],
      'b stopped, a pinned, c still starting',
    );
    await runners.answered(c);
    assert.deepEqual(
      pool
        .list()
        .map((b) => b.spec.key)
        .sort(),
      ['a', 'c'],
    );
    assert.ok(notes.some((n) => n === 'Stopped the warm backend for b (least recently used; 2 stay warm).'));
  });

  it('stops backends nobody used for the idle time, never the pinned one', async () => {
    idleMs = 30;
    await warm('a', 1);
    pool.pin('a');
    await warm('b', 2);
    await tick(120);
    assert.deepEqual(
      pool.list().map((b) => b.spec.key),
      ['a'],
    );
    assert.ok(notes.some((n) => /^Stopped the warm backend for b \(unused for \d+ min\)\.$/.test(n)));
  });

  it('starts a failed backend again on its next use, and a backend for another SITE_ID in its place', async () => {
    const failing = pool.ensure(spec('a', 1));
    (await runners.next()).fail('it crashed');
    await assert.rejects(failing, /it crashed/);
    assert.equal(pool.get('a')?.phase, 'failed');
    await warm('a', 1);
    assert.equal(pool.get('a')?.phase, 'running');
    await warm('a', 7);
    assert.equal(runners.starts.length, 3);
    assert.equal(runners.starts[1].server?.stopped, true, 'the backend with the old SITE_ID stopped');
    assert.equal(pool.get('a')?.spec.siteId, 7);
  });

  it('closes: every backend stops, a start still waiting is cancelled, and nothing new starts', async () => {
    await warm('a', 1);
    const waiting = pool.ensure(spec('b', 2));
    const start = await runners.next();
    await start.spawn();
    await pool.close();
    await assert.rejects(waiting, /stopped before it answered/);
    assert.equal(runners.starts[0].server?.stopped, true);
    assert.equal(start.server?.stopped, true);
    await assert.rejects(pool.ensure(spec('c', 3)), /is stopping/);
  });
});
