/**
 * WebSocket upgrades through SiteProxy, in process: the proxy listens for real
 * and its backend is a `ws` server, routes are the test's. What the upgrade
 * tells the backend (X-Forwarded-Host, as HTTP does) and what it answers when
 * there is no backend: 404 for a name it does not know, 502 (and a sentence in
 * the log) for a site whose server could not start. The real Daphne backends
 * are in test/integration/proxyWebSocket.test.ts.
 */
import * as assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import WebSocket, { WebSocketServer } from 'ws';
import { AddressMap } from '../../../../daemon/proxy/addressMap';
import { SiteProxy } from '../../../../daemon/proxy/siteProxy';
import { rawRequest } from '../../../support/rawHttp';

const SHOP = 'shop.demo.localhost';

describe('SiteProxy WebSocket upgrades', () => {
  let backend: Server;
  let backendPort: number;
  let proxy: SiteProxy;
  let logged: string[];
  /** What the route to the shop does: a backend, or a start that fails with this sentence. */
  let startFails: string | null;

  beforeEach(async () => {
    logged = [];
    startFails = null;
    backend = createServer((_req, res) => res.end());
    // The backend sends the handshake's headers as its first message.
    new WebSocketServer({ server: backend }).on('connection', (ws, req) => ws.send(JSON.stringify(req.headers)));
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    backendPort = (backend.address() as { port: number }).port;
    const addresses = new AddressMap('demo.localhost', [{ slug: 'shop', localhostHost: SHOP, domains: ['shop.example'] }]);
    proxy = new SiteProxy(
      {
        addresses: () => addresses,
        target: () => (startFails ? Promise.reject(new Error(startFails)) : Promise.resolve({ slug: 'shop', label: 'Shop', port: backendPort, host: null })),
        listing: () => ({ project: 'demo', sites: [] }),
        previewBlocked: (slug) => ({ label: slug, url: '' }),
      },
      (text) => logged.push(text),
    );
    await proxy.listen(0);
  });

  afterEach(async () => {
    await proxy.close();
    backend.closeAllConnections();
    await new Promise((resolve) => backend.close(resolve));
  });

  /** The backend's first message (the headers it saw), or the status the proxy refused the upgrade with. */
  const upgrade = (host: string, headers: Record<string, string> = {}): Promise<{ headers: IncomingHttpHeaders } | { status: number }> =>
    new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${proxy.port}/`, { headers: { host, ...headers } });
      ws.once('message', (data: WebSocket.RawData) => {
        ws.terminate();
        resolve({ headers: JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : '{}') as IncomingHttpHeaders });
      });
      ws.once('unexpected-response', (_req, res) => {
        res.resume();
        ws.terminate();
        resolve({ status: res.statusCode ?? 0 });
      });
      ws.once('error', reject);
    });

  it('passes the browser’s Host on and names it in X-Forwarded-Host, as for HTTP', async () => {
    const host = `${SHOP}:${proxy.port}`;
    const seen = await upgrade(host);
    assert.ok('headers' in seen);
    assert.equal(seen.headers.host, host);
    assert.equal(seen.headers['x-forwarded-host'], host);
    assert.equal(seen.headers['x-forwarded-for'], '127.0.0.1');
  });

  it('names what the browser asked in X-Forwarded-*, never what the upgrade claimed', async () => {
    const host = `${SHOP}:${proxy.port}`;
    const forged = { 'x-forwarded-host': 'evil.example', 'x-forwarded-for': '203.0.113.7', 'x-forwarded-proto': 'wss', forwarded: 'host=evil.example' };
    const seen = await upgrade(host, forged);
    assert.ok('headers' in seen);
    assert.equal(seen.headers['x-forwarded-host'], host);
    assert.equal(seen.headers['x-forwarded-for'], '127.0.0.1');
    assert.equal(seen.headers['x-forwarded-proto'], 'ws');
    assert.equal(seen.headers.forwarded, undefined);
  });

  it('routes an absolute-form upgrade by its target and refuses one with two Host headers (400)', async () => {
    const handshake = 'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n';
    const absolute = await rawRequest(proxy.port, `GET http://169.254.169.254/ HTTP/1.1\r\nHost: ${SHOP}\r\n${handshake}\r\n`);
    assert.equal(absolute.status, 421);
    const twice = await rawRequest(proxy.port, `GET / HTTP/1.1\r\nHost: ${SHOP}\r\nHost: evil.example\r\n${handshake}\r\n`);
    assert.equal(twice.status, 400);
    assert.equal(twice.body, 'The request has 2 Host headers; it must have one.');
  });

  it('answers 404 for a .localhost name it does not know, 421 for any other, without a word in the log', async () => {
    assert.deepEqual(await upgrade('nope.localhost'), { status: 404 });
    assert.deepEqual(await upgrade('nope.example'), { status: 421 });
    assert.deepEqual(logged, []);
  });

  it('answers 502 when the site’s server could not start, and says why in the log', async () => {
    startFails = 'runserver exited with code 1 before it answered: SyntaxError';
    assert.deepEqual(await upgrade(SHOP), { status: 502 });
    assert.deepEqual(logged, [`A WebSocket to ${SHOP} found no server: runserver exited with code 1 before it answered: SyntaxError`]);
  });
});
