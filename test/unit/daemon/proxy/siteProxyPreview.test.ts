/**
 * SiteProxy's preview listeners (issue 25), in process against a backend of
 * the test's own that answers as Django's default middleware does
 * (`X-Frame-Options: DENY`, a CSP naming `frame-ancestors`, `SameSite=Lax`
 * cookies): on a site's preview port the answer can be framed and its cookies
 * kept in a cross-site frame, while the site's own port and the project's keep
 * the backend's headers; the preview's cookie check goes on, or says the frame
 * keeps no cookie; the Origin a backend sees follows the browser's own pages
 * behind a forwarder and leaves another site's as sent. The same through the
 * real daemon and runserver: test/integration/previewAddresses.test.ts.
 */
import * as assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { SiteProxy } from '../../../../daemon/proxy/siteProxy';
import { previewStart } from '../../../../daemon/proxy/previewFrame';
import { requestVia } from '../../../support/http';
import { twoSiteProxy } from '../../../support/twoSiteProxy';

describe("SiteProxy: a site's preview address", () => {
  let backend: Server;
  let proxy: SiteProxy;
  let ownPort: number;
  const blocked: string[] = [];

  beforeEach(async () => {
    backend = createServer((req, res) => {
      if (req.url === '/to-blog') return void res.writeHead(302, { location: 'https://blog.example/posts/' }).end();
      res.writeHead(200, {
        'x-frame-options': 'DENY',
        'content-security-policy': "default-src 'self'; frame-ancestors 'none'",
        'set-cookie': ['csrftoken=abc; Path=/; SameSite=Lax', 'sessionid=s; HttpOnly; Path=/; SameSite=Strict; Secure'],
      });
      res.end(JSON.stringify({ host: req.headers.host, origin: req.headers.origin ?? null }));
    });
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    const backendPort = (backend.address() as { port: number }).port;
    blocked.length = 0;
    proxy = twoSiteProxy(backendPort, (slug) => {
      blocked.push(slug);
      return { label: 'Shop', url: 'http://shop.demo.localhost:8000/', portUrl: 'http://127.0.0.1:8001/' };
    });
    await proxy.listen(0);
    ownPort = await proxy.listenFor('shop', 0);
  });

  afterEach(async () => {
    await proxy.close();
    backend.closeAllConnections();
    await new Promise((resolve) => backend.close(resolve));
  });

  it('can be framed and its cookies kept across sites there, while the browser’s addresses keep the site’s headers', async () => {
    const previewPort = await proxy.previewPortOf('shop');
    assert.equal(await proxy.previewPortOf('shop'), previewPort, 'one preview listener per site');
    const framed = await requestVia(previewPort, `shop.demo.localhost:${previewPort}`);
    assert.equal(framed.status, 200);
    assert.equal(framed.headers['x-frame-options'], undefined);
    assert.equal(framed.headers['content-security-policy'], "default-src 'self'");
    assert.deepEqual(framed.headers['set-cookie'], [
      'csrftoken=abc; Path=/; SameSite=None; Secure; Partitioned',
      'sessionid=s; HttpOnly; Path=/; SameSite=None; Secure; Partitioned',
    ]);
    assert.equal((JSON.parse(framed.body) as { host: string }).host, 'shop.example', 'the same Host rewriting');
    assert.equal((await requestVia(previewPort, `127.0.0.1:${previewPort}`)).status, 200, 'bare too');
    assert.equal((await requestVia(previewPort, 'shop.example')).status, 421, 'a name that is not this machine’s is refused there too');
    for (const [port, host] of [
      [ownPort, `127.0.0.1:${ownPort}`],
      [proxy.port, `shop.demo.localhost:${proxy.port}`],
    ] as const) {
      const answer = await requestVia(port, host);
      assert.equal(answer.headers['x-frame-options'], 'DENY', host);
      assert.equal(answer.headers['content-security-policy'], "default-src 'self'; frame-ancestors 'none'", host);
      assert.deepEqual(answer.headers['set-cookie'], ['csrftoken=abc; Path=/; SameSite=Lax', 'sessionid=s; HttpOnly; Path=/; SameSite=Strict; Secure'], host);
    }
    // The site's own port closing (its ports moved or turned off) leaves the preview showing it; stopping the proxy closes it.
    await proxy.closeFor('shop');
    assert.equal((await requestVia(previewPort, `127.0.0.1:${previewPort}`)).status, 200);
    await proxy.close();
    await assert.rejects(requestVia(previewPort, `127.0.0.1:${previewPort}`), /ECONNREFUSED/);
  });

  it('starts at a cookie check that goes on to the page, or says the frame keeps no cookie', async () => {
    const previewPort = await proxy.previewPortOf('shop');
    const start = new URL(previewStart(`http://127.0.0.1:${previewPort}`, 'admin/'));
    const first = await requestVia(previewPort, start.host, `${start.pathname}${start.search}`);
    assert.equal(first.status, 302);
    assert.equal(first.headers.location, 'preview-check?next=admin%2F', 'relative: a forwarder’s path prefix stays');
    const cookie = String(first.headers['set-cookie']);
    assert.match(cookie, /^multisite-local-preview=1;.*SameSite=None; Secure; Partitioned$/);
    const check = `/__multisite-local/preview-check?next=admin%2F`;
    const kept = await requestVia(previewPort, start.host, check, { headers: { cookie: 'multisite-local-preview=1' } });
    assert.equal(kept.status, 302);
    assert.equal(kept.headers.location, '../admin/');
    assert.deepEqual(blocked, []);
    const lost = await requestVia(previewPort, start.host, check);
    assert.equal(lost.status, 200);
    assert.match(lost.body, /Shop cannot keep its login in this preview/);
    assert.match(lost.body, /http:\/\/127\.0\.0\.1:8001\//);
    assert.deepEqual(blocked, ['shop'], 'the editor is told, to offer the browser');
    // A name that is not this machine's (a rebound page) reads nothing there either, and tells the editor nothing.
    assert.equal((await requestVia(previewPort, 'evil.example', check)).status, 421);
    assert.deepEqual(blocked, ['shop']);
    // Only the preview listener answers these paths itself: on the site's own port they are the site's.
    assert.equal((await requestVia(ownPort, `127.0.0.1:${ownPort}`, check)).status, 200);
    assert.deepEqual(blocked, ['shop']);
  });

  it('gives the backend an Origin it accepts from the browser’s own pages behind a forwarder, and another site’s as sent', async () => {
    const origin = async (headers: Record<string, string>): Promise<string | null> =>
      (JSON.parse((await requestVia(ownPort, `localhost:${ownPort}`, '/', { method: 'POST', headers })).body) as { origin: string | null }).origin;
    // Codespaces: the page is at a name of the forwarder's, and the browser says the POST is its own page's.
    assert.equal(await origin({ origin: 'https://x-8001.app.github.dev', 'sec-fetch-site': 'same-origin' }), 'http://shop.example');
    // VS Code's port forwarding: the forwarded port on this machine's loopback.
    assert.equal(await origin({ origin: 'http://localhost:54321' }), 'http://shop.example');
    // Another site's page posting across: Django sees it and refuses it.
    assert.equal(await origin({ origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }), 'https://evil.example');
    assert.equal(await origin({}), null);
  });

  it('names another site on the port the browser asked for, a forwarder’s, on the project’s listener', async () => {
    const answer = await requestVia(proxy.port, 'shop.demo.localhost:54321', '/to-blog');
    assert.equal(answer.headers.location, 'http://blog.demo.localhost:54321/posts/');
  });

  it('names another site at its address on the project’s port from a preview, whose listener serves one site only', async () => {
    const previewPort = await proxy.previewPortOf('shop');
    const answer = await requestVia(previewPort, `shop.demo.localhost:${previewPort}`, '/to-blog');
    assert.equal(answer.headers.location, `http://blog.demo.localhost:${proxy.port}/posts/`);
  });
});
