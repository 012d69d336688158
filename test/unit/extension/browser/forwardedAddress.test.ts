/**
 * Where a browser of a remote window reaches an address the product opens
 * (extension/browser/forwardedAddress.ts), for the forwards VS Code and its
 * peers make of `http://localhost:<port>`: none (a local window), a plain
 * loopback port (Remote-SSH, WSL, Dev Containers on the desktop), a name per
 * port (Codespaces in the browser, code-server's --proxy-domain) and a path
 * per port (code-server's default).
 */
import * as assert from 'node:assert/strict';
import { forwardable, onForward, throughForward } from '../../../../extension/browser/forwardedAddress';

const site = new URL('http://gamma.demo.localhost:8000/admin/?next=/');

describe('forwarded addresses', () => {
  it('asks for the port of the address, on localhost', () => {
    assert.equal(forwardable(site), 'http://localhost:8000/');
    assert.equal(forwardable(new URL('http://alpha.example/')), 'http://localhost:80/');
  });

  it('keeps the address where nothing is forwarded (a local window)', () => {
    assert.equal(throughForward(site, new URL('http://localhost:8000/'))?.href, site.href);
  });

  it("puts the site's name back on a plain loopback forward, with its port and scheme", () => {
    assert.equal(throughForward(site, new URL('http://localhost:54321/'))?.href, 'http://gamma.demo.localhost:54321/admin/?next=/');
    assert.equal(throughForward(site, new URL('http://127.0.0.1:54321'))?.href, 'http://gamma.demo.localhost:54321/admin/?next=/');
    // A bare address stays bare on the new port.
    assert.equal(throughForward(new URL('http://127.0.0.1:8001/'), new URL('http://localhost:40001/'))?.href, 'http://127.0.0.1:40001/');
  });

  it('finds no way for the name through a forward with a name or a path of its own, nor for a name only this machine resolves', () => {
    assert.equal(throughForward(site, new URL('https://studious-8000.app.github.dev/')), null);
    assert.equal(throughForward(site, new URL('http://8000.localhost:9000/')), null);
    assert.equal(throughForward(site, new URL('http://127.0.0.1:9000/proxy/8000/')), null);
    // A real domain from the hosts file: the other machine's browser does not resolve it to the forward.
    assert.equal(throughForward(new URL('http://alpha.example:8000/'), new URL('http://localhost:54321/')), null);
  });

  it('carries the path and query onto the forwarded address, under its path prefix', () => {
    assert.equal(onForward(site, new URL('http://127.0.0.1:9000/proxy/8001/')).href, 'http://127.0.0.1:9000/proxy/8001/admin/?next=/');
    assert.equal(onForward(site, new URL('http://127.0.0.1:9000/proxy/8001')).href, 'http://127.0.0.1:9000/proxy/8001/admin/?next=/');
    assert.equal(onForward(site, new URL('https://studious-8001.app.github.dev/')).href, 'https://studious-8001.app.github.dev/admin/?next=/');
  });
});
