/**
 * Django's Host and Origin rules as written out for the proxy's notes: the
 * cases of Django's own documentation and request tests (exact names, leading
 * dots, `*`, case, ports, a trailing dot, IPv6, malformed hosts), the DEBUG
 * defaults by version, CSRF_TRUSTED_ORIGINS matching, and a property against
 * a reference written label by label.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { allowedHostMatches, debugAllowedHosts, originTrusted, splitDomainPort } from '../../../../daemon/proxy/djangoHostRules';

describe('allowedHostMatches', () => {
  // The list of Django's tests/requests/tests.py (test_http_get_host).
  const ALLOWED = [
    'forward.com',
    'example.com',
    'internal.com',
    '12.34.56.78',
    '[2001:19f0:feee::dead:beef:cafe]',
    'xn--4ca9at.com',
    '.multitenant.com',
    'INSENSITIVE.com',
    '[::ffff:169.254.169.254]',
  ];

  it('accepts what Django accepts', () => {
    for (const host of [
      'example.com',
      'example.com:80',
      '12.34.56.78',
      '12.34.56.78:443',
      '[2001:19f0:feee::dead:beef:cafe]',
      '[2001:19f0:feee::dead:beef:cafe]:8080',
      'xn--4ca9at.com',
      'anything.multitenant.com',
      'multitenant.com',
      'insensitive.com',
      'EXAMPLE.COM',
      'example.com.',
      'example.com.:80',
      '[::ffff:169.254.169.254]',
    ]) {
      assert.equal(allowedHostMatches(host, ALLOWED), true, host);
    }
  });

  it('refuses what Django refuses', () => {
    for (const host of [
      'example.com@evil.tld',
      'example.com:dr.frankenstein@evil.tld',
      'example.com:dr.frankenstein@evil.tld:80',
      'example.com:80/badpath',
      'example.com: recovermypassword.com',
      'other.com',
      'anotherexample.com',
      'xmultitenant.com',
      'example.com..',
      '',
      '.',
      'ex_ample.com',
    ]) {
      assert.equal(allowedHostMatches(host, ALLOWED), false, host);
    }
  });

  it('strips a trailing dot from the host, not from a pattern', () => {
    assert.equal(allowedHostMatches('example.com.', ['example.com']), true);
    assert.equal(allowedHostMatches('example.com', ['example.com.']), false);
  });

  it('lets `*` match any well-formed host, never a malformed one', () => {
    assert.equal(allowedHostMatches('alpha.myproj.localhost:8000', ['*']), true);
    assert.equal(allowedHostMatches('example.com@evil.tld', ['*']), false);
  });

  it('applies the DEBUG defaults of each Django version', () => {
    const modern = debugAllowedHosts(5);
    for (const host of ['localhost', 'alpha.myproj.localhost:8000', '127.0.0.1:8000', '[::1]:8000']) assert.equal(allowedHostMatches(host, modern), true, host);
    assert.equal(allowedHostMatches('alpha-news.example', modern), false);
    assert.deepEqual(debugAllowedHosts(null), modern);
    assert.equal(allowedHostMatches('alpha.myproj.localhost', debugAllowedHosts(2)), false);
    assert.equal(allowedHostMatches('localhost:8000', debugAllowedHosts(2)), true);
  });

  it('splits a Host header as Django does', () => {
    assert.deepEqual(splitDomainPort('Example.COM.:8000'), { domain: 'example.com', port: '8000' });
    assert.deepEqual(splitDomainPort('[::1]'), { domain: '[::1]', port: '' });
    assert.deepEqual(splitDomainPort('bad host'), { domain: '', port: '' });
  });

  /** Django's rule restated label by label: `.a.b` matches a host whose labels end with a, b. */
  function reference(host: string, patterns: readonly string[]): boolean {
    const match = /^([a-z0-9.-]+)(?::[0-9]+)?$/.exec(host.toLowerCase());
    if (!match) return false;
    const domain = match[1].replace(/\.$/, '');
    if (domain === '') return false;
    const labels = domain.split('.');
    return patterns.some((pattern) => {
      if (pattern === '*') return true;
      const p = pattern.toLowerCase();
      if (p === '') return false;
      if (p === domain) return true;
      if (!p.startsWith('.')) return false;
      const suffix = p.slice(1).split('.');
      return suffix.length <= labels.length && suffix.every((label, i) => labels[labels.length - suffix.length + i] === label);
    });
  }

  it('agrees with the label-by-label reference', () => {
    const label = fc.constantFrom('a', 'b', 'localhost', 'example', 'com', '');
    const recase = (text: string, upper: boolean[]): string => [...text].map((c, i) => (upper[i % upper.length] ? c.toUpperCase() : c)).join('');
    const name = fc
      .tuple(fc.array(label, { minLength: 1, maxLength: 4 }), fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }))
      .map(([labels, upper]) => recase(labels.join('.'), upper));
    const host = fc
      .tuple(name, fc.boolean(), fc.option(fc.integer({ min: 1, max: 65535 }), { nil: null }))
      .map(([n, dot, port]) => `${n}${dot ? '.' : ''}${port === null ? '' : `:${port}`}`);
    const pattern = fc.oneof(
      fc.constant('*'),
      fc.constant(''),
      name,
      name.map((n) => `.${n}`),
    );
    fc.assert(
      fc.property(host, fc.array(pattern, { maxLength: 4 }), (h, patterns) => {
        assert.equal(allowedHostMatches(h, patterns), reference(h, patterns));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('originTrusted', () => {
  it('matches CSRF_TRUSTED_ORIGINS entries exactly, or by a *. subdomain wildcard of the same scheme', () => {
    const trusted = ['http://alpha-news.example', 'https://*.example.com'];
    assert.equal(originTrusted('http://alpha-news.example', trusted), true);
    assert.equal(originTrusted('https://alpha-news.example', trusted), false);
    assert.equal(originTrusted('https://shop.example.com', trusted), true);
    assert.equal(originTrusted('https://example.com', trusted), true);
    assert.equal(originTrusted('http://shop.example.com', trusted), false);
    assert.equal(originTrusted('https://shop.example.com:8443', trusted), false);
    assert.equal(originTrusted('https://badexample.com', trusted), false);
    assert.equal(originTrusted('null', trusted), false);
  });
});
