import * as assert from 'node:assert/strict';
import { AddressMap, hostName } from '../../../../daemon/proxy/addressMap';

const map = new AddressMap('demo.localhost', [
  { slug: 'alpha', localhostHost: 'alpha.demo.localhost', domains: ['alpha-news.example', 'www.alpha-news.example', 'alpha.demo.divio.me'] },
  { slug: 'beta', localhostHost: 'beta.demo.localhost', domains: ['beta-shop.example'] },
]);

describe('AddressMap', () => {
  it('reads a Host header as a name: no port, lower case, no final dot, IPv6 in brackets', () => {
    assert.equal(hostName('Alpha.Demo.LOCALHOST:8000'), 'alpha.demo.localhost');
    assert.equal(hostName('alpha.demo.localhost.:8000'), 'alpha.demo.localhost');
    assert.equal(hostName('[::1]:8000'), '[::1]');
    assert.equal(hostName(undefined), '');
  });

  it('routes the bare address and the project name to the current site, a site name to that site, other names of this machine to no site, any other name to nobody', () => {
    for (const host of ['127.0.0.1:8000', 'localhost:8000', '[::1]:8000', 'demo.localhost:8000']) assert.deepEqual(map.route(host), { kind: 'current' }, host);
    assert.deepEqual(map.route('BETA.demo.localhost:8000'), { kind: 'site', slug: 'beta' });
    // Names of this machine's that are no site's: the sites page may list the project's sites for them.
    for (const host of ['gamma.demo.localhost:8000', 'alpha.other.localhost:8000', 'evil.localhost', '127.0.0.2:8000', 'Evil.LOCALHOST.', '127.255.0.1']) {
      assert.deepEqual(map.route(host), { kind: 'unknown' }, host);
    }
    // Any other name, and loopback or site names with something after them (issue 14), is foreign (issue 21).
    const foreign = ['alpha-news.example', '', undefined, '[::1]evil.example:8000', '[::1', '[::1]:8000:9', 'alpha.demo.localhost:8000:9'];
    foreign.push('127.0.0.1:80.evil.example', 'alpha.demo.localhost.evil.example', '0.0.0.0:8000', '127.1', '127.0.0.1.evil.example', 'localhost.evil.example');
    for (const host of foreign) {
      assert.deepEqual(map.route(host), { kind: 'foreign' }, String(host));
    }
  });

  it('points a Location naming a site domain at the address the browser uses for that site', () => {
    // Another site is at its `.localhost` name on the proxy's port (SiteProxy passes where it is).
    const port = (_slug: string, localhostHost: string): string => `${localhostHost}:8000`;
    // The site served: back to the very host the browser asked (bare address or the site's name).
    assert.equal(map.location('http://alpha-news.example/admin/?next=/', 'alpha', '127.0.0.1:8000', port), 'http://127.0.0.1:8000/admin/?next=/');
    assert.equal(map.location('https://www.alpha-news.example/x#y', 'alpha', 'alpha.demo.localhost:8000', port), 'http://alpha.demo.localhost:8000/x#y');
    // Another site of the project: its own address.
    assert.equal(map.location('http://beta-shop.example/cart', 'alpha', '127.0.0.1:8000', port), 'http://beta.demo.localhost:8000/cart');
    // Already a local address of ours: kept on the proxy's port.
    assert.equal(map.location('http://beta.demo.localhost:9999/', 'alpha', '127.0.0.1:8000', port), 'http://beta.demo.localhost:8000/');
  });

  it('leaves relative, foreign and non-HTTP locations as they are', () => {
    for (const location of ['/accounts/login/', '../up', 'https://github.com/login', 'mailto:a@alpha-news.example', 'http://[bad']) {
      assert.equal(
        map.location(location, 'alpha', '127.0.0.1:8000', () => '127.0.0.1:9'),
        location,
      );
    }
  });

  it("rewrites a cookie's Domain naming the served site to the name the browser used, or drops it on the bare address", () => {
    const cookies = ['sessionid=abc; Domain=.alpha-news.example; Path=/; HttpOnly', 'csrftoken=x; domain=ALPHA-NEWS.EXAMPLE; SameSite=Lax', 'plain=1; Path=/'];
    assert.deepEqual(map.cookies(cookies, 'alpha', 'alpha.demo.localhost:8000'), [
      'sessionid=abc; Domain=alpha.demo.localhost; Path=/; HttpOnly',
      'csrftoken=x; Domain=alpha.demo.localhost; SameSite=Lax',
      'plain=1; Path=/',
    ]);
    assert.deepEqual(map.cookies(cookies, 'alpha', '127.0.0.1:8000'), ['sessionid=abc; Path=/; HttpOnly', 'csrftoken=x; SameSite=Lax', 'plain=1; Path=/']);
  });

  it("never gives one site's cookie to another: a Domain naming another site or a foreign domain is left for the browser to refuse", () => {
    const cookies = ['a=1; Domain=beta-shop.example', 'b=2; Domain=.github.com'];
    assert.deepEqual(map.cookies(cookies, 'alpha', 'alpha.demo.localhost:8000'), cookies);
  });
});
