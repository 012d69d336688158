/** A site's address in its row, short enough for the default side bar, the port always kept (issue 23). */
import * as assert from 'node:assert/strict';
import { MAX_HOST_CHARS, shortHost } from '../../../../extension/tree/addressText';

describe('a site’s address in its row', () => {
  it('keeps short hosts whole', () => {
    assert.equal(shortHost('127.0.0.1:8000'), '127.0.0.1:8000');
    assert.equal(shortHost('b.demo.localhost:80'), 'b.demo.localhost:80');
    assert.equal(shortHost('beta-shop.example'), 'beta-shop.example');
  });

  it('elides the project of a long .localhost address, keeping the site and the port', () => {
    assert.equal(shortHost('beta.multisite-demo.localhost:8000'), 'beta…:8000');
    assert.equal(shortHost('gamma.msl-multisite-demo-zz727p.localhost:21681'), 'gamma…:21681');
    assert.equal(shortHost('alpha.multisite-demo.localhost'), 'alpha…');
  });

  it('shortens any other long name in its middle, within the bound, the port kept', () => {
    for (const host of ['www.a-very-long-production-domain.example:8080', 'shop.customer-with-a-long-name.example.com']) {
      const short = shortHost(host);
      assert.ok(short.length <= MAX_HOST_CHARS + 1, short);
      assert.ok(short.includes('…'), short);
      assert.equal(short.endsWith(':8080'), host.endsWith(':8080'), short);
      assert.ok(host.startsWith(short.split('…')[0]), short);
    }
  });
});
