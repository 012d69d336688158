/**
 * SiteProxy's own port per site (issue 25), in process against a backend of
 * the test's own standing in for two Host-routed sites: on a site's port the
 * site is served whatever loopback name is used, a redirect to another site's
 * domain goes to that site's own port under the name the browser used (on the
 * project's port, to its `.localhost` name), a name that is not this
 * machine's is refused, and a port closed stops answering. The same through
 * the real daemon: test/integration/sitePorts.test.ts.
 */
import * as assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { SiteProxy } from '../../../../daemon/proxy/siteProxy';
import { requestVia } from '../../../support/http';
import { twoSiteProxy } from '../../../support/twoSiteProxy';

describe("SiteProxy: a site's own port", () => {
  let backend: Server;
  let proxy: SiteProxy;
  let shopPort: number;
  let blogPort: number;

  beforeEach(async () => {
    // Answers with the Host it was sent, and sends /to-blog to the blog's real domain.
    backend = createServer((req, res) => {
      if (req.url === '/to-blog') return void res.writeHead(302, { location: 'https://blog.example/posts/' }).end();
      res.end(req.headers.host);
    });
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    const backendPort = (backend.address() as { port: number }).port;
    proxy = twoSiteProxy(backendPort);
    await proxy.listen(0);
    shopPort = await proxy.listenFor('shop', 0);
    blogPort = await proxy.listenFor('blog', 0);
  });

  afterEach(async () => {
    await proxy.close();
    backend.closeAllConnections();
    await new Promise((resolve) => backend.close(resolve));
  });

  it('serves its site whatever loopback name is used, and refuses a name that is not this machine’s', async () => {
    for (const host of [`127.0.0.1:${blogPort}`, `localhost:${blogPort}`, `shop.demo.localhost:${blogPort}`])
      assert.equal((await requestVia(blogPort, host)).body, 'blog.example', host);
    assert.equal((await requestVia(shopPort, `localhost:${shopPort}`)).body, 'shop.example');
    assert.equal((await requestVia(blogPort, 'blog.example')).status, 421);
    assert.deepEqual(proxy.sitesWithPorts.sort(), ['blog', 'shop']);
  });

  it("sends a redirect to another site's domain to that site's own port, or to its .localhost name from the project's port", async () => {
    const fromOwnPort = await requestVia(shopPort, `localhost:${shopPort}`, '/to-blog');
    assert.equal(fromOwnPort.headers.location, `http://localhost:${blogPort}/posts/`);
    const fromProjectPort = await requestVia(proxy.port, `shop.demo.localhost:${proxy.port}`, '/to-blog');
    assert.equal(fromProjectPort.headers.location, `http://blog.demo.localhost:${proxy.port}/posts/`);
  });

  it('stops answering on a port it closed, the others keep theirs', async () => {
    await proxy.closeFor('blog');
    assert.equal(proxy.portOf('blog'), null);
    await assert.rejects(requestVia(blogPort, `127.0.0.1:${blogPort}`), /ECONNREFUSED/);
    assert.equal((await requestVia(shopPort, `127.0.0.1:${shopPort}`)).body, 'shop.example');
  });
});
