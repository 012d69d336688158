/**
 * What the proxy makes of a request before routing it: an absolute-form
 * target names the host, two Host headers are refused, forwarding headers the
 * request brings are dropped. The same attacks through the real proxy:
 * test/integration/proxyAttacks.test.ts.
 */
import * as assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import { admitRequest } from '../../../../daemon/proxy/edgeRequest';
import type { EdgeRequest } from '../../../../daemon/proxy/edgeRequest';

/** A request as node parses it from `url` and header lines. */
function parsed(url: string, lines: [string, string][]): EdgeRequest {
  const headers: IncomingHttpHeaders = {};
  for (const [name, value] of lines) {
    const key = name.toLowerCase();
    // node keeps the first Host; these tests do not need its other rules.
    if (headers[key] === undefined) (headers as Record<string, string>)[key] = value;
  }
  return { url, headers, rawHeaders: lines.flat() };
}

describe('admitRequest', () => {
  it('leaves an ordinary request as it is', () => {
    const req = parsed('/path?q=1', [
      ['Host', 'alpha.demo.localhost:8000'],
      ['Cookie', 'a=b'],
    ]);
    assert.equal(admitRequest(req), null);
    assert.equal(req.url, '/path?q=1');
    assert.deepEqual(req.headers, { host: 'alpha.demo.localhost:8000', cookie: 'a=b' });
  });

  it('takes the host of an absolute-form target, whatever the Host header says, and keeps its path', () => {
    const cases: [string, string, string][] = [
      ['http://169.254.169.254/latest/meta-data/', '169.254.169.254', '/latest/meta-data/'],
      ['http://beta.demo.localhost:8000/a/b?c=d', 'beta.demo.localhost:8000', '/a/b?c=d'],
      ['HTTP://EVIL.example:80/', 'evil.example', '/'],
      ['http://[fd00:ec2::254]/x', '[fd00:ec2::254]', '/x'],
      ['ws://127.0.0.1:9/socket', '127.0.0.1:9', '/socket'],
      ['http://user:pass@evil.example/', 'evil.example', '/'],
      ['http://evil.example/../../etc/passwd', 'evil.example', '/etc/passwd'],
    ];
    for (const [url, host, path] of cases) {
      const req = parsed(url, [['Host', 'alpha.demo.localhost:8000']]);
      assert.equal(admitRequest(req), null, url);
      assert.equal(req.headers.host, host, url);
      assert.equal(req.url, path, url);
    }
  });

  it('leaves paths that only look like hosts to the backend', () => {
    for (const url of ['//169.254.169.254/', '/http://169.254.169.254/', '*']) {
      const req = parsed(url, [['Host', 'alpha.demo.localhost']]);
      assert.equal(admitRequest(req), null);
      assert.equal(req.headers.host, 'alpha.demo.localhost', url);
      assert.equal(req.url, url);
    }
  });

  it('refuses two Host headers, in any spelling, and changes nothing', () => {
    const req = parsed('http://evil.example/', [
      ['Host', 'alpha.demo.localhost'],
      ['host', 'evil.example'],
      ['X-Forwarded-Host', 'evil.example'],
    ]);
    assert.equal(admitRequest(req), 'The request has 2 Host headers; it must have one.');
    assert.equal(req.url, 'http://evil.example/');
    assert.equal(req.headers['x-forwarded-host'], 'evil.example');
  });

  it('refuses an absolute-form target that is no URL', () => {
    assert.equal(admitRequest(parsed('http://[::1/', [['Host', 'a']])), "The request's target is not a URL.");
  });

  it('drops every forwarding header the request brings', () => {
    const req = parsed('/', [
      ['Host', 'alpha.demo.localhost'],
      ['X-Forwarded-Host', 'evil.example'],
      ['X-Forwarded-For', '203.0.113.7'],
      ['X-Forwarded-Proto', 'https'],
      ['X-Forwarded-Port', '443'],
      ['X-Forwarded-Ssl', 'on'],
      ['Forwarded', 'for=203.0.113.7;proto=https'],
      ['X-Real-IP', '203.0.113.7'],
      ['X-Forwarded', 'yes'],
      ['Accept', 'text/html'],
    ]);
    assert.equal(admitRequest(req), null);
    assert.deepEqual(req.headers, { host: 'alpha.demo.localhost', 'x-forwarded': 'yes', accept: 'text/html' });
  });

  it("drops a site mark or self-check header a client sends: only the proxy says a request's site (issue 27)", () => {
    const req = parsed('/', [
      ['Host', 'alpha.demo.localhost'],
      ['X-Multisite-Local-Site', 'guessed:7'],
      ['x-multisite-local-check', 'guessed'],
      ['X-Multisite-Localised', 'kept'],
    ]);
    assert.equal(admitRequest(req), null);
    assert.deepEqual(req.headers, { host: 'alpha.demo.localhost', 'x-multisite-localised': 'kept' });
  });
});

describe('admitRequest and the browser’s connection headers (issue 21)', () => {
  it('drops hop-by-hop headers and those Connection names, but never Host', () => {
    const req = parsed('/', [
      ['Host', 'alpha.demo.localhost:8000'],
      ['Connection', 'Host, Cookie, X-Custom, keep-alive'],
      ['Keep-Alive', 'timeout=5'],
      ['Cookie', 'a=b'],
      ['X-Custom', '1'],
      ['TE', 'trailers'],
      ['Accept', '*/*'],
    ]);
    assert.equal(admitRequest(req), null);
    assert.deepEqual(req.headers, { host: 'alpha.demo.localhost:8000', accept: '*/*' });
  });

  it('keeps what makes an upgrade one, and nothing else its Connection header names', () => {
    const req = parsed('/ws/', [
      ['Host', 'alpha.demo.localhost:8000'],
      ['Connection', 'keep-alive, Upgrade, X-Custom'],
      ['Upgrade', 'websocket'],
      ['X-Custom', '1'],
    ]);
    assert.equal(admitRequest(req), null);
    assert.deepEqual(req.headers, { host: 'alpha.demo.localhost:8000', connection: 'upgrade', upgrade: 'websocket' });
  });
});
