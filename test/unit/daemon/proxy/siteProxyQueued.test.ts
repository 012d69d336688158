/**
 * What SiteProxy gives the warm pool and what it answers for it, in process
 * (the proxy listens for real, its backend is a node:http and `ws` server,
 * routes are the test's): a site with no warm slot for now (SiteQueued) is a
 * 503 with Retry-After and a page saying it is queued, for HTTP and for a
 * WebSocket upgrade, never a 502; the signal handed to the routes tells
 * when the request is over: once a streamed answer is sent whole, once a
 * WebSocket closes, so the pool holds the backend exactly that long.
 */
import * as assert from 'node:assert/strict';
import { Agent, createServer, get } from 'node:http';
import type { Server } from 'node:http';
import WebSocket, { WebSocketServer } from 'ws';
import { AddressMap } from '../../../../daemon/proxy/addressMap';
import { SiteProxy } from '../../../../daemon/proxy/siteProxy';
import { SiteQueued } from '../../../../daemon/proxy/siteQueued';
import { requestVia } from '../../../support/http';
import { rawRequest } from '../../../support/rawHttp';

const SHOP = 'shop.demo.localhost';
const QUEUED = 'Shop is queued: it waited 60 s for one of the 3 warm slots (warmSites), each starting, serving a request or current.';
const HANDSHAKE = 'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n';

describe('SiteProxy and the warm pool: a queued site, a backend held as long as its request', () => {
  let backend: Server;
  let backendPort: number;
  let proxy: SiteProxy;
  let queued: boolean;
  /** For each request routed: when its exchange ended (ms after it was routed), or null while it goes on. */
  let held: { endedAfter: number | null }[];

  beforeEach(async () => {
    queued = false;
    held = [];
    // `/slow/` streams its answer over 300 ms.
    backend = createServer((req, res) => {
      if (req.url !== '/slow/') return void res.end('ok');
      res.write('one\n');
      setTimeout(() => res.end('two\n'), 300);
    });
    new WebSocketServer({ server: backend }).on('connection', (ws) => ws.send('hello'));
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    backendPort = (backend.address() as { port: number }).port;
    const addresses = new AddressMap('demo.localhost', [{ slug: 'shop', localhostHost: SHOP, domains: ['shop.example'] }]);
    proxy = new SiteProxy(
      {
        addresses: () => addresses,
        target: (_route, until) => {
          if (queued) return Promise.reject(new SiteQueued('Shop', QUEUED));
          const entry = { endedAfter: null as number | null };
          const routed = Date.now();
          held.push(entry);
          if (until.aborted) entry.endedAfter = 0;
          else until.addEventListener('abort', () => (entry.endedAfter = Date.now() - routed));
          return Promise.resolve({ slug: 'shop', label: 'Shop', port: backendPort, host: null });
        },
        listing: () => ({ project: 'demo', sites: [] }),
        previewBlocked: (slug) => ({ label: slug, url: '' }),
      },
      () => undefined,
    );
    await proxy.listen(0);
  });

  afterEach(async () => {
    await proxy.close();
    backend.closeAllConnections();
    await new Promise((resolve) => backend.close(resolve));
  });

  it('answers a queued site 503 with Retry-After and a page saying so, not 502', async () => {
    queued = true;
    const answer = await requestVia(proxy.port, SHOP);
    assert.equal(answer.status, 503);
    assert.equal(answer.headers['retry-after'], '5');
    assert.equal(answer.headers['cache-control'], 'no-store');
    assert.match(answer.body, /<h1>Shop is queued<\/h1>/);
    assert.ok(answer.body.includes('(warmSites), each starting, serving a request or current.'));
  });

  it('answers a WebSocket upgrade to a queued site 503 with Retry-After', async () => {
    queued = true;
    const answer = await rawRequest(proxy.port, `GET /ws/ HTTP/1.1\r\nHost: ${SHOP}\r\n${HANDSHAKE}\r\n`);
    assert.equal(answer.status, 503);
    assert.match(answer.text, /\r\nRetry-After: 5\r\n/);
  });

  it('tells when a request is over: after its streamed answer is sent whole, not when it was routed', async () => {
    const answer = await requestVia(proxy.port, SHOP, '/slow/');
    assert.equal(answer.body, 'one\ntwo\n');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(held.length, 1);
    assert.ok((held[0].endedAfter ?? 0) >= 250, `held ${held[0].endedAfter} ms`);
  });

  it('tells when a request is over on a kept-alive connection, request by request, leaving no listener behind', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const warnings: string[] = [];
    const warned = (warning: Error): number => warnings.push(warning.name);
    process.on('warning', warned);
    try {
      for (let n = 0; n < 15; n++) {
        const answer = await new Promise<string>((resolve, reject) => {
          get({ host: '127.0.0.1', port: proxy.port, path: `/n${n}/`, agent, headers: { host: SHOP } }, (res) => {
            let body = '';
            res.on('data', (c: Buffer) => (body += c.toString()));
            res.on('end', () => resolve(body));
          }).on('error', reject);
        });
        assert.equal(answer, 'ok');
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      agent.destroy();
      process.off('warning', warned);
    }
    assert.equal(held.length, 15);
    assert.equal(held.filter((h) => h.endedAfter === null).length, 0, 'every request given back');
    assert.deepEqual(warnings, [], 'no listener piled up on the connection');
  });

  it('holds a WebSocket’s backend until the WebSocket closes', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${proxy.port}/ws/`, { headers: { host: SHOP } });
    await new Promise((resolve, reject) => ws.once('message', resolve).once('error', reject));
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(held[0].endedAfter, null, 'still held while the WebSocket is open');
    ws.close();
    await new Promise((resolve) => ws.once('close', resolve));
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(held[0].endedAfter !== null, 'given back once it closed');
  });
});
