/**
 * proxyNotes, pure: which settings would make Django refuse what the proxy
 * forwards in each routing (ALLOWED_HOSTS with Django's DEBUG defaults,
 * USE_X_FORWARDED_HOST in host routing, and the CSRF Origin refusal that
 * comes with it on Django 4+), each note one sentence pinned to the setting.
 */
import * as assert from 'node:assert/strict';
import { proxyNotes } from '../../../../daemon/proxy/proxyNotes';
import type { ProxiedHosts } from '../../../../daemon/proxy/proxyNotes';
import type { ServingFacts } from '../../../../daemon/sites/servingFacts';
import type { Located } from '../../../../daemon/sites/settingValues';

const SETTINGS = '/p/proj/settings.py';
const at = <T>(value: T, line: number, file = SETTINGS, label = `proj/settings.py:${line}`): Located<T> => ({ value, file, line, label });

const facts = (over: Partial<ServingFacts> = {}): ServingFacts => ({
  siteIdFromEnvironment: { file: SETTINGS, line: 40 },
  allowedHosts: at(['*'], 14),
  allowedHostsComputed: null,
  debug: true,
  useXForwardedHost: null,
  csrfTrustedOrigins: null,
  ...over,
});

const HOSTS: ProxiedHosts = {
  proxied: ['alpha.myproj.localhost', 'beta.myproj.localhost', '127.0.0.1'],
  siteDomains: ['alpha-news.example', 'beta-shop.example'],
};

describe('proxyNotes', () => {
  describe('ALLOWED_HOSTS in siteId routing', () => {
    it('lists the proxied names a literal list refuses and suggests .localhost and 127.0.0.1', () => {
      const notes = proxyNotes(facts({ allowedHosts: at(['example.com'], 14) }), 'siteId', HOSTS, 5);
      assert.deepEqual(notes, [
        {
          severity: 'warning',
          message:
            'ALLOWED_HOSTS (proj/settings.py:14) does not match alpha.myproj.localhost, beta.myproj.localhost and 127.0.0.1 (the names the proxy serves), ' +
            'so Django would answer them with 400 Bad Request: add ".localhost" and "127.0.0.1" (ALLOWED_HOSTS = [..., ".localhost", "127.0.0.1"]).',
          file: SETTINGS,
          line: 14,
          code: 'allowed-hosts',
        },
      ]);
    });

    it('suggests only what is missing', () => {
      const [note] = proxyNotes(facts({ allowedHosts: at(['.LOCALHOST'], 14) }), 'siteId', HOSTS, 5);
      assert.match(note.message, /does not match 127\.0\.0\.1 \(the names the proxy serves\), so Django would answer it with/);
      assert.match(note.message, /add "127\.0\.0\.1" \(ALLOWED_HOSTS = \[\.\.\., "127\.0\.0\.1"\]\)\.$/);
    });

    it('has nothing to say when the names are allowed, by *, patterns or case-insensitive names with ports', () => {
      for (const list of [['*'], ['.localhost', '127.0.0.1'], ['ALPHA.myproj.localhost', 'beta.myproj.LOCALHOST', '127.0.0.1']]) {
        assert.deepEqual(proxyNotes(facts({ allowedHosts: at(list, 14) }), 'siteId', HOSTS, 5), [], list.join());
      }
      const withPorts = { proxied: ['alpha.myproj.localhost:8000', '127.0.0.1:8000'], siteDomains: [] };
      assert.deepEqual(proxyNotes(facts({ allowedHosts: at(['.localhost', '127.0.0.1'], 14) }), 'siteId', withPorts, 5), []);
    });

    it("uses Django's DEBUG defaults for an empty list", () => {
      const empty = at<string[]>([], 14);
      assert.deepEqual(proxyNotes(facts({ allowedHosts: empty, debug: true }), 'siteId', HOSTS, 5), []);
      // DEBUG unknown: the defaults allow these names and without DEBUG nothing is certain.
      assert.deepEqual(proxyNotes(facts({ allowedHosts: empty, debug: null }), 'siteId', HOSTS, 5), []);
      const [off] = proxyNotes(facts({ allowedHosts: empty, debug: false }), 'siteId', HOSTS, 5);
      assert.equal(
        off.message,
        'ALLOWED_HOSTS (proj/settings.py:14) is empty and DEBUG is False, so Django would answer every host, ' +
          'alpha.myproj.localhost, beta.myproj.localhost and 127.0.0.1 (the names the proxy serves) among them, with 400 Bad Request: ' +
          'add ".localhost" and "127.0.0.1" (ALLOWED_HOSTS = [".localhost", "127.0.0.1"]).',
      );
    });

    it('knows Django before 3.1 allowed localhost but not its subdomains', () => {
      const [note] = proxyNotes(facts({ allowedHosts: at([], 14), debug: true }), 'siteId', HOSTS, 2);
      assert.match(
        note.message,
        /is empty, which with DEBUG on allows only localhost, 127\.0\.0\.1 and \[::1\], so Django would answer alpha\.myproj\.localhost and beta\.myproj\.localhost/,
      );
      assert.match(note.message, /add "\.localhost" \(ALLOWED_HOSTS = \["\.localhost"\]\)\.$/);
    });

    it('says nothing when ALLOWED_HOSTS is unknown', () => {
      const unknown = facts({ allowedHosts: null, allowedHostsComputed: { file: SETTINGS, line: 14 }, debug: false });
      assert.deepEqual(proxyNotes(unknown, 'siteId', HOSTS, 5), []);
      assert.deepEqual(proxyNotes(unknown, 'host', HOSTS, 5), []);
    });

    it('points at the environment file when the list comes from there', () => {
      const fromEnv = at(['example.com'], 2, '/p/.env-local', '.env-local:2');
      const [note] = proxyNotes(facts({ allowedHosts: fromEnv }), 'siteId', HOSTS, 5);
      assert.equal(note.file, '/p/.env-local');
      assert.equal(note.line, 2);
      assert.match(note.message, /^ALLOWED_HOSTS \(\.env-local:2\) /);
    });
  });

  describe('ALLOWED_HOSTS in host routing', () => {
    it("checks the sites' domains, not the .localhost names", () => {
      const [note, ...rest] = proxyNotes(facts({ allowedHosts: at(['.localhost', '127.0.0.1'], 14) }), 'host', HOSTS, 5);
      assert.deepEqual(rest, []);
      assert.equal(
        note.message,
        'ALLOWED_HOSTS (proj/settings.py:14) does not match alpha-news.example and beta-shop.example (the Host the proxy sends in host routing), ' +
          'so Django would answer them with 400 Bad Request: add "alpha-news.example" and "beta-shop.example" (ALLOWED_HOSTS = [..., "alpha-news.example", "beta-shop.example"]).',
      );
      assert.deepEqual(proxyNotes(facts({ allowedHosts: at(['.example'], 14) }), 'host', HOSTS, 5), []);
    });

    it('refuses site domains with an empty list whatever DEBUG is', () => {
      for (const debug of [true, false, null]) {
        const notes = proxyNotes(facts({ allowedHosts: at([], 14), debug }), 'host', HOSTS, 5);
        assert.equal(notes.length, 1, String(debug));
        assert.match(notes[0].message, /alpha-news\.example and beta-shop\.example/);
      }
    });

    it('shortens a long list of names', () => {
      const many = { proxied: [], siteDomains: ['a.example', 'b.example', 'c.example', 'd.example', 'e.example'] };
      const [note] = proxyNotes(facts({ allowedHosts: at(['x.example'], 14) }), 'host', many, 5);
      assert.match(note.message, /does not match a\.example, b\.example, c\.example and 2 more \(/);
      assert.match(note.message, /"e\.example"\]\)\.$/);
    });
  });

  describe('USE_X_FORWARDED_HOST', () => {
    const forwarded = (value: boolean) => at(value, 20);

    it('warns in host routing, naming the 403 on Django 4 and later', () => {
      const notes = proxyNotes(facts({ useXForwardedHost: forwarded(true) }), 'host', HOSTS, 4);
      assert.deepEqual(notes, [
        {
          severity: 'warning',
          message:
            "USE_X_FORWARDED_HOST (proj/settings.py:20) makes Django take the host from X-Forwarded-Host, the .localhost name, instead of the site's domain the proxy sends as Host, " +
            'so it would not find the site and refuse POSTs with 403 (CSRF Origin check): set it to False for local work, or route by SITE_ID ("routing": "siteId" in multisite.json).',
          file: SETTINGS,
          line: 20,
          code: 'csrf-trusted-origins',
        },
      ]);
    });

    it('leaves the 403 out before Django 4, when the version is unknown, or when CSRF_TRUSTED_ORIGINS trusts every site', () => {
      const trusted = at(['http://alpha-news.example', 'http://*.beta-shop.example'], 30);
      for (const [csrfTrustedOrigins, major] of [
        [null, 3],
        [null, null],
        [trusted, 5],
      ] as const) {
        const [note] = proxyNotes(facts({ useXForwardedHost: forwarded(true), csrfTrustedOrigins }), 'host', HOSTS, major);
        assert.doesNotMatch(note.message, /403/, `${String(major)}`);
        assert.match(note.message, /would not find the site: set it to False/);
      }
      const partly = at(['http://alpha-news.example'], 30);
      const [note] = proxyNotes(facts({ useXForwardedHost: forwarded(true), csrfTrustedOrigins: partly }), 'host', HOSTS, 5);
      assert.match(note.message, /403/);
    });

    it('has nothing to say when it is off, or in siteId routing (X-Forwarded-Host is the Host there)', () => {
      assert.deepEqual(proxyNotes(facts({ useXForwardedHost: forwarded(false) }), 'host', HOSTS, 5), []);
      const csrf = at(['https://other.example'], 30);
      assert.deepEqual(proxyNotes(facts({ useXForwardedHost: forwarded(true), csrfTrustedOrigins: csrf }), 'siteId', HOSTS, 5), []);
    });
  });

  it('writes every note as one sentence pinned to a file and line', () => {
    const worst = facts({ allowedHosts: at(['nothing.example'], 14), debug: false, useXForwardedHost: at(true, 20) });
    const notes = [
      ...proxyNotes(worst, 'siteId', HOSTS, 5),
      ...proxyNotes(worst, 'host', HOSTS, 5),
      ...proxyNotes(facts({ allowedHosts: at([], 3), debug: false }), 'host', HOSTS, 5),
    ];
    assert.equal(notes.length, 4);
    for (const note of notes) {
      assert.match(note.message, /^[A-Z].*\.$/);
      assert.doesNotMatch(note.message, /[.!?]\s/, note.message);
      assert.equal(typeof note.file, 'string');
      assert.equal(typeof note.line, 'number');
    }
  });
});
