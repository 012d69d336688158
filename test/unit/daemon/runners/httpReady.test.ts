/**
 * The readiness poll every runner waits with: each look at the server is
 * given only the time left before the start's deadline, so a server that
 * accepts connections but never answers is reported when the configured
 * timeout is up, not one probe timeout later.
 */
import * as assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { acceptsConnections, answersHttp, pollUntilReady } from '../../../../daemon/runners/httpReady';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('pollUntilReady and answersHttp', () => {
  it('gives each look at the server no more than the time left before the deadline', async () => {
    const budgets: number[] = [];
    const timeoutMs = 120;
    await assert.rejects(
      pollUntilReady({
        ready: async (budgetMs) => {
          budgets.push(budgetMs);
          await sleep(Math.min(budgetMs, 50));
          return false;
        },
        timeoutMs,
        intervalMs: 5,
        signal: new AbortController().signal,
        timedOut: () => new Error('timed out'),
      }),
      /timed out/,
    );
    assert.ok(budgets.length >= 2, `looked ${budgets.length} times`);
    assert.ok(
      budgets.every((b) => Number.isFinite(b) && b > 0 && b <= timeoutMs),
      `budgets ${budgets.join(', ')}`,
    );
    assert.ok(budgets[budgets.length - 1] < budgets[0], 'the budget shrinks as the deadline nears');
  });

  it('stops waiting as soon as the start is superseded, not a look later', async () => {
    const abort = new AbortController();
    let looks = 0;
    await assert.rejects(
      pollUntilReady({
        ready: () => {
          looks++;
          abort.abort();
          return Promise.resolve(false);
        },
        timeoutMs: 3_600_000,
        // Far beyond the test's timeout: only the abort can end the wait between two looks.
        intervalMs: 3_600_000,
        signal: abort.signal,
        timedOut: () => new Error('timed out'),
      }),
      /superseded/,
    );
    assert.equal(looks, 1);
  });

  it('says no, within its budget, for a server that accepts the connection and never answers', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      assert.equal(await answersHttp(port, {}, 50), false);
      assert.equal(sockets.length, 1, 'it did connect');
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('connects to a debugged server without sending it a byte (no request for a breakpoint to stop), and says no where nothing listens', async () => {
    let received = 0;
    const closed = new Promise<void>((resolve) => {
      const server = createServer((socket) => {
        socket.on('data', (chunk: Buffer) => (received += chunk.length));
        socket.on('close', () => server.close(() => resolve()));
      });
      server.listen(0, '127.0.0.1', () => {
        const port = (server.address() as AddressInfo).port;
        void acceptsConnections(port).then((accepted) => assert.equal(accepted, true));
      });
    });
    await closed;
    assert.equal(received, 0);
    const gone = createServer();
    await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve));
    const port = (gone.address() as AddressInfo).port;
    await new Promise((resolve) => gone.close(resolve));
    assert.equal(await acceptsConnections(port), false);
  });
});
