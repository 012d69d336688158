/**
 * The warm pool's bound under concurrent cold starts, with fake runners
 * (issue 21, item 2): at no instant do more than `bound` backends start, run
 * or still stop; a site beyond it waits its turn, first come first served
 * (the current site first), or is refused with SiteQueued once its wait is
 * up, or at once when the current site holds the only slot; a backend
 * serving a request is never stopped, nor the current site's; a request gone
 * while it waits leaves the line. A seeded storm checks the bound after
 * every step.
 */
import * as assert from 'node:assert/strict';
import type { BackendSpec } from '../../../../daemon/proxy/backend';
import { BackendPool } from '../../../../daemon/proxy/backendPool';
import type { Lease } from '../../../../daemon/proxy/backendPool';
import { SiteQueued } from '../../../../daemon/proxy/siteQueued';
import { FakeRunners } from '../../../support/fakeRunner';
import type { FakeStart } from '../../../support/fakeRunner';

const spec = (key: string): BackendSpec => ({ key, site: key, siteId: key.charCodeAt(0), label: `Site ${key}` });
const tick = (ms = 2): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('BackendPool admission (fake runners)', () => {
  let runners: FakeRunners;
  let pool: BackendPool;
  let bound: number;
  let waitMs: number;

  /** A request for `key`: its lease once served, and the way to end it. */
  interface Request {
    key: string;
    lease: Promise<Lease>;
    end(): void;
  }

  function request(key: string): Request {
    const controller = new AbortController();
    const lease = pool.acquire(spec(key), controller.signal);
    lease.catch(() => undefined);
    return { key, lease, end: () => controller.abort() };
  }

  /** Starts whose servers may still run (starting, answering, or told to stop and not gone yet). */
  const running = (): FakeStart[] => runners.starts.filter((s) => s.running);
  const startedKeys = (): string[] => runners.starts.map((s) => s.request.label.replace('Site ', ''));
  const assertBounded = (): void => assert.ok(running().length <= bound, `${running().length} run or start, bound ${bound}`);

  /** Answers the start for `key`, the next one asked for. */
  async function answerNext(key: string): Promise<void> {
    const start = await runners.next();
    assert.equal(start.request.label, `Site ${key}`);
    await start.answer();
  }

  beforeEach(async () => {
    runners = new FakeRunners();
    bound = 3;
    waitMs = 60_000;
    pool = new BackendPool({
      bound: () => bound,
      idleMs: () => 0,
      makeRunner: (_spec, events) =>
        runners.factory('local', {
          root: '/p',
          interpreter: () => Promise.resolve('python3'),
          interpreterToStart: () => Promise.resolve('python3'),
          preferredPort: () => 0,
          events: { ...events, log: () => undefined, note: () => undefined },
        }),
      changed: () => undefined,
      note: () => undefined,
      get waitMs() {
        return waitMs;
      },
    });
    // The current site, warm: as after a switch.
    pool.pin('a');
    const switched = pool.ensure(spec('a'));
    await answerNext('a');
    await switched;
  });

  afterEach(() => pool.close());

  it('eleven concurrent first requests with a bound of 3: never more than 3 at once, each site served in turn, first come first served', async () => {
    const keys = 'bcdefghijkl'.split('');
    const requests = keys.map(request);
    await tick();
    assertBounded();
    assert.deepEqual(startedKeys(), ['a', 'b', 'c'], 'two sites start beside the current one, the others wait');
    for (const key of keys) {
      await answerNext(key);
      const lease = await requests.find((r) => r.key === key)?.lease;
      assert.equal(lease?.backend.spec.key, key, `${key} served by its own backend`);
      assertBounded();
      requests.find((r) => r.key === key)?.end();
      await tick();
      assertBounded();
    }
    assert.deepEqual(startedKeys(), ['a', ...keys], 'in the order asked');
    assert.equal(runners.starts[0].server?.stopped, false, 'the current site never stopped');
  });

  it('never stops a backend serving a request: the site waiting starts once that request is over', async () => {
    bound = 2;
    const b = request('b');
    await answerNext('b');
    await b.lease;
    const c = request('c');
    await tick(20);
    assert.deepEqual(startedKeys(), ['a', 'b'], 'c waits: a is current, b serves a request');
    assert.equal(runners.starts[1].server?.stopped, false);
    b.end();
    await answerNext('c');
    assert.equal((await c.lease).backend.spec.key, 'c');
    assert.equal(runners.starts[1].server?.stopped, true, 'b stopped once its request was over');
  });

  it('counts a backend being stopped until it is gone', async () => {
    bound = 2;
    const b = request('b');
    await answerNext('b');
    await b.lease;
    let gone!: () => void;
    (runners.starts[1].server as { stopGate: Promise<void> | null }).stopGate = new Promise<void>((resolve) => (gone = resolve));
    b.end();
    const c = request('c');
    await tick(20);
    assert.equal(runners.starts[1].server?.stopped, true, 'b told to stop for c');
    assert.deepEqual(startedKeys(), ['a', 'b'], 'c waits while b is still going');
    gone();
    await answerNext('c');
    await c.lease;
    assertBounded();
  });

  it('refuses a site whose wait is up with SiteQueued (503), and it leaves the line', async () => {
    bound = 2;
    waitMs = 30;
    const b = request('b');
    await answerNext('b');
    await b.lease;
    const c = request('c');
    await assert.rejects(c.lease, (error: unknown) => {
      assert.ok(error instanceof SiteQueued);
      assert.equal(error.code, 'queued');
      assert.equal(error.label, 'Site c');
      assert.ok(error.retryAfterSeconds > 0);
      assert.match(error.message, /^Site c is queued: it waited 0 s for one of the 2 warm slots \(warmSites\)/);
      return true;
    });
    b.end();
    await tick(20);
    assert.deepEqual(startedKeys(), ['a', 'b'], 'nothing starts for a site nobody waits for');
  });

  it('withdraws a request that goes away while it waits: nothing starts for it', async () => {
    bound = 2;
    const b = request('b');
    await answerNext('b');
    await b.lease;
    const c = request('c');
    await tick();
    c.end();
    await assert.rejects(c.lease, /withdrawn/);
    b.end();
    await tick(20);
    assert.deepEqual(startedKeys(), ['a', 'b']);
    assert.equal(runners.starts[1].server?.stopped, false, 'b stays warm: nobody needs its slot');
  });

  it('refuses another site at once when the current site holds the only slot', async () => {
    bound = 1;
    await assert.rejects(request('b').lease, (error: unknown) => error instanceof SiteQueued && /warmSites is 1/.test(error.message));
    assert.deepEqual(startedKeys(), ['a']);
  });

  it('puts the current site first in line', async () => {
    bound = 3;
    const [b, c] = [request('b'), request('c')];
    await answerNext('b');
    await answerNext('c');
    await Promise.all([b.lease, c.lease]);
    const d = request('d');
    pool.pin('x');
    const switched = pool.ensure(spec('x'));
    await tick();
    b.end();
    await answerNext('x');
    await switched;
    c.end();
    await answerNext('d');
    await d.lease;
    assert.deepEqual(startedKeys(), ['a', 'b', 'c', 'x', 'd']);
  });

  it('a lowered bound stops idle backends down to it, a busy one once its request is over, never the current one', async () => {
    const [b, c] = [request('b'), request('c')];
    await answerNext('b');
    await answerNext('c');
    await Promise.all([b.lease, c.lease]);
    c.end();
    bound = 1;
    await pool.ensure(spec('a'));
    await tick();
    assert.deepEqual(
      runners.starts.map((s) => s.server?.stopped),
      [false, false, true],
    );
    b.end();
    await tick();
    assert.deepEqual(
      runners.starts.map((s) => s.server?.stopped),
      [false, true, true],
    );
  });

  for (const storm of [1, 2, 3]) {
    it(`holds a bound of ${storm} at every step of a seeded storm of requests, answers, failures and slow stops`, async () => {
      bound = storm;
      waitMs = 200;
      let seed = 7 + storm;
      const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      const open: Request[] = [];
      const outcomes: string[] = [];
      for (let step = 0; step < 400; step++) {
        const roll = next();
        if (roll < 0.3) {
          const r = request('bcdefgh'[Math.floor(next() * 7)]);
          open.push(r);
          r.lease.then(
            () => outcomes.push('served'),
            (error: unknown) => outcomes.push(error instanceof SiteQueued ? 'queued' : (error as Error).message),
          );
        } else if (roll < 0.65 && open.length > 0) open.splice(Math.floor(next() * open.length), 1)[0].end();
        else {
          const pending = runners.starts.filter((s) => !s.server && !s.rejected);
          const start = pending[Math.floor(next() * pending.length)];
          if (start && roll < 0.95) {
            const server = await start.answer();
            if (next() < 0.3) server.stopGate = tick(Math.floor(next() * 10));
          } else start?.fail('it crashed');
        }
        await tick(1);
        assertBounded();
        assert.equal(runners.starts[0].server?.stopped, false, `step ${step}: the current site never stopped`);
      }
      for (const r of open) r.end();
      await tick(250);
      const expected = storm === 1 ? ['queued'] : ['served'];
      for (const outcome of expected) assert.ok(outcomes.includes(outcome), `some ${outcome}: ${outcomes.join(', ')}`);
      assert.deepEqual(
        outcomes.filter((o) => !['served', 'queued', 'it crashed'].includes(o) && !/withdrawn/.test(o)),
        [],
      );
    });
  }
});
