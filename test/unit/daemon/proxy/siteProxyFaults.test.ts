/**
 * SiteProxy in process against a backend of the test's own, for what issue 21
 * found by attack: a browser that resets an upgrade the backend answers with
 * plain HTTP (the daemon died of it), a backend that resets mid-body (the
 * browser's answer stayed open), a Connection header naming the proxy's own
 * headers, and connections held open past the budget. The same through the
 * real daemon: test/integration/proxyResets.test.ts and proxyDescriptors.test.ts.
 */
import * as assert from 'node:assert/strict';
import { createServer, request } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { AddressMap } from '../../../../daemon/proxy/addressMap';
import { ConnectionBudget } from '../../../../daemon/proxy/connectionBudget';
import { SiteProxy } from '../../../../daemon/proxy/siteProxy';
import { rawRequest } from '../../../support/rawHttp';

const SHOP = 'shop.demo.localhost';
const HANDSHAKE = 'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n';

/** Opens a connection and resolves once it is connected. */
function opened(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.on('error', reject);
  });
}

/** Resolves once `socket` is closed by the other side. */
const closedByPeer = (socket: Socket): Promise<void> => (socket.closed ? Promise.resolve() : new Promise((resolve) => socket.once('close', () => resolve())));

describe('SiteProxy under faults (issue 21)', () => {
  let backend: Server;
  let proxy: SiteProxy;
  let budget: ConnectionBudget;
  const held: Socket[] = [];

  beforeEach(async () => {
    backend = createServer((req, res) => {
      if (req.url === '/headers') return void res.end(JSON.stringify(req.headers));
      if (req.url === '/slow') return void setTimeout(() => res.end('slow'), 300);
      if (req.url === '/reset-body') {
        res.writeHead(200, { 'content-length': 1000 });
        res.write('x'.repeat(100));
        return void setTimeout(() => req.socket.resetAndDestroy(), 20);
      }
      // An upgrade answered as WSGI's runserver does: plain HTTP.
      res.end('no WebSocket here');
    });
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    const backendPort = (backend.address() as { port: number }).port;
    const addresses = new AddressMap('demo.localhost', [{ slug: 'shop', localhostHost: SHOP, domains: ['shop.example'] }]);
    budget = new ConnectionBudget(4);
    proxy = new SiteProxy(
      {
        addresses: () => addresses,
        target: () => Promise.resolve({ slug: 'shop', label: 'Shop', port: backendPort, host: 'shop.example' }),
        listing: () => ({ project: 'demo', sites: [] }),
        previewBlocked: (slug) => ({ label: slug, url: '' }),
      },
      () => undefined,
      budget,
    );
    await proxy.listen(0);
  });

  afterEach(async () => {
    for (const socket of held.splice(0)) socket.destroy();
    await proxy.close();
    backend.closeAllConnections();
    await new Promise((resolve) => backend.close(resolve));
  });

  it('survives a browser that resets an upgrade its backend answers with plain HTTP, and serves the next request', async () => {
    for (let n = 0; n < 50; n++) {
      const socket = await opened(proxy.port);
      socket.on('error', () => undefined);
      socket.write(`GET /stream/ HTTP/1.1\r\nHost: ${SHOP}\r\n${HANDSHAKE}\r\n`);
      await new Promise((resolve) => socket.once('data', resolve));
      socket.resetAndDestroy();
    }
    const answer = await rawRequest(proxy.port, `GET /headers HTTP/1.1\r\nHost: ${SHOP}\r\nConnection: close\r\n\r\n`);
    assert.equal(answer.status, 200);
  });

  it('cuts the browser’s answer when the backend resets mid-body, instead of leaving it open', async () => {
    const outcome = await new Promise<string>((resolve) => {
      const req = request({ host: '127.0.0.1', port: proxy.port, path: '/reset-body', headers: { host: SHOP }, agent: false }, (res) => {
        res.on('data', () => undefined);
        res.on('end', () => resolve('ended'));
        res.on('aborted', () => resolve('aborted'));
        res.on('error', () => resolve('aborted'));
      });
      req.on('error', () => resolve('aborted'));
      req.end();
    });
    assert.equal(outcome, 'aborted');
  });

  it('keeps its own Host and X-Forwarded-* when the browser’s Connection header names them, and echoes nothing of it', async () => {
    const answer = await rawRequest(
      proxy.port,
      `GET /headers HTTP/1.1\r\nHost: ${SHOP}\r\nConnection: Host, X-Forwarded-For, X-Forwarded-Host, Cookie, close\r\nCookie: a=b\r\nX-Secret: s\r\n\r\n`,
    );
    assert.equal(answer.status, 200);
    const seen = JSON.parse(answer.body) as IncomingHttpHeaders;
    assert.equal(seen.host, 'shop.example');
    assert.equal(seen['x-forwarded-host'], SHOP);
    assert.equal(seen['x-forwarded-for'], '127.0.0.1');
    assert.equal(seen.cookie, undefined, 'a header the Connection list names stays with the connection');
    assert.equal(seen['x-secret'], 's');
    assert.match(answer.text, /\r\nconnection: close\r\n/i);
    assert.doesNotMatch(answer.text.slice(0, answer.text.indexOf('\r\n\r\n')), /X-Forwarded|Cookie/i, 'nothing of the Connection list in the answer');
  });

  it('closes the oldest half-sent request to admit a new one once its budget is spent', async () => {
    for (let n = 0; n < 8; n++) {
      const socket = await opened(proxy.port);
      socket.on('error', () => undefined);
      socket.write(`GET /headers HTTP/1.1\r\nHost: ${SHOP}\r\n`); // headers that never end
      held.push(socket);
    }
    const evicted = held.slice(0, 4);
    await Promise.all(evicted.map(closedByPeer));
    assert.equal(budget.inUse, 4);
    const answer = await rawRequest(proxy.port, `GET /headers HTTP/1.1\r\nHost: ${SHOP}\r\nConnection: close\r\n\r\n`);
    assert.equal(answer.status, 200, 'a real request gets through');
  });

  it('never closes a connection whose request is being answered: a new one is turned away instead', async () => {
    const slow = Array.from({ length: 4 }, () => rawRequest(proxy.port, `GET /slow HTTP/1.1\r\nHost: ${SHOP}\r\nConnection: close\r\n\r\n`));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const turnedAway = await rawRequest(proxy.port, `GET /headers HTTP/1.1\r\nHost: ${SHOP}\r\nConnection: close\r\n\r\n`);
    assert.equal(turnedAway.status, 0, 'closed without an answer');
    for (const answer of await Promise.all(slow)) assert.deepEqual([answer.status, answer.body], [200, 'slow']);
    assert.equal(budget.inUse, 0);
  });
});
