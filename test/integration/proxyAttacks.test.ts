/**
 * Issue 14's attacks on the `.localhost` proxy, against the real daemon and real runserver backends
 * of the demo project (test/support/attackWorld.ts): absolute-form targets, CONNECT, foreign and
 * duplicate Host headers, forged X-Forwarded-*, path traversal, smuggling, WebSocket upgrades to
 * names it does not serve, floods. After every attack a site is still served, and a canary server on
 * another loopback port has received no connection (no open proxy, no SSRF).
 */
import * as assert from 'node:assert/strict';
import { requestVia } from '../support/http';
import { rawRequest } from '../support/rawHttp';
import { FLOOD, h1, HANDSHAKE_LINES, useAttackWorld, whileHanging } from '../support/attackWorld';

describe('attacks on the .localhost proxy (real daemon, real runserver backends)', function () {
  this.timeout(120_000);
  const { port, canary, project, hostOf, stillServed, tried } = useAttackWorld();

  describe('the .localhost proxy', () => {
    /** The proxy's own page of sites for a name it does not serve: 404, the name escaped, no backend's page. */
    const assertSitesPage = (answer: { status: number; body: string }, what: string): void => {
      assert.equal(answer.status, 404, `${what}: ${answer.body.slice(0, 200)}`);
      assert.match(answer.body, /The sites of <code>/, `${what} gets the sites page`);
      assert.equal(h1(answer.body), null, `${what} reaches no backend`);
      assert.doesNotMatch(answer.body, /<script/i, `${what}: the name is escaped`);
    };
    const raw = (text: string): ReturnType<typeof rawRequest> => rawRequest(port(), text);

    /** The bare answer to a name that is not this machine's (issue 21): 421, naming no project, site or address. */
    const assertMisdirected = (answer: { status: number; body: string }, what: string): void => {
      assert.equal(answer.status, 421, `${what}: ${answer.body.slice(0, 200)}`);
      assert.equal(answer.body, 'Misdirected Request\n', `${what} names nothing`);
    };

    it('answers a name of its own it does not serve with the sites page, never a backend', async () => {
      const hosts = [
        'evil.localhost',
        `evil.localhost:${port()}`,
        `evil.${project()}.localhost:${port()}`,
        `alpha.evil.localhost:${port()}`,
        `127.0.0.2:${port()}`,
        `"><script>alert(1)</script>.${project()}.localhost`,
      ];
      for (const host of hosts) {
        tried();
        assertSitesPage(await requestVia(port(), host), host.slice(0, 60));
      }
      await stillServed();
    });

    it('answers any other Host with a bare 421 that names nothing (a DNS-rebinding page reads no site list)', async () => {
      const hosts = [
        `alpha.${project()}.localhost.evil.example:${port()}`,
        `${project()}.localhost.evil.example`,
        'evil.example',
        `evil.example:${canary.port()}`,
        'localhost.evil.example',
        '169.254.169.254',
        '169.254.169.254:80',
        'metadata.google.internal',
        '10.0.0.1:22',
        `0.0.0.0:${port()}`,
        `2130706433:${port()}`,
        `127.1:${port()}`,
        `[::ffff:a9fe:a9fe]:${port()}`,
        `[::ffff:127.0.0.1]:${canary.port()}`,
        '[fe80::1]',
        `[::1`,
        `[::1]evil.example:${port()}`,
        `[::1]:${port()}:${canary.port()}`,
        'a'.repeat(8000),
        '<script>alert(1)</script>',
      ];
      for (const host of hosts) {
        tried();
        assertMisdirected(await requestVia(port(), host), host.slice(0, 60));
      }
      tried();
      assert.equal((await requestVia(port(), `evil.example:${port()}`.padEnd(20_000, 'a'))).status, 431, 'a Host over the header limit');
      await stillServed();
    });

    it('serves only its current site at loopback names, whatever port the Host names', async () => {
      for (const host of [`127.0.0.1:${canary.port()}`, `localhost:${canary.port()}`, `[::1]:${canary.port()}`, `127.0.0.1:${port()}`, `[::1]:${port()}`]) {
        tried();
        const answer = await requestVia(port(), host);
        assert.equal(h1(answer.body), 'Alpha News', host);
      }
      await stillServed();
    });

    it('routes an absolute-form target by its own host, as RFC 9112 says, never to that host', async () => {
      const absolute = (target: string, host: string, extra = ''): Promise<{ status: number; body: string }> =>
        raw(`GET ${target} HTTP/1.1\r\nHost: ${host}\r\n${extra}Connection: close\r\n\r\n`);
      for (const target of ['http://169.254.169.254/latest/meta-data/', 'http://evil.example/', 'http://[fd00:ec2::254]/latest/meta-data/']) {
        tried();
        assertMisdirected(await absolute(target, hostOf('alpha')), target);
      }
      tried();
      assertSitesPage(await absolute(`http://evil.${project()}.localhost:${port()}/`, hostOf('alpha')), 'an absolute-form target of a name of its own');
      tried();
      assert.equal(h1((await absolute(`http://127.0.0.1:${canary.port()}/`, hostOf('beta'))).body), 'Alpha News', 'a loopback target is the current site');
      tried();
      assert.equal(h1((await absolute(`http://${hostOf('beta')}/`, hostOf('alpha'))).body), 'Beta Shop', 'the target names the site, not the Host header');
      tried();
      const upgrade = await absolute('http://169.254.169.254/', hostOf('alpha'), HANDSHAKE_LINES);
      assert.equal(upgrade.status, 421, 'a WebSocket upgrade to an absolute-form target of another host');
      await stillServed();
    });

    it('tunnels nothing: CONNECT gets no connection anywhere', async () => {
      for (const target of [`127.0.0.1:${canary.port()}`, '169.254.169.254:80', `${hostOf('alpha')}`]) {
        tried();
        const answer = await raw(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`);
        assert.notEqual(answer.status, 200, `CONNECT ${target}: ${answer.text.slice(0, 100)}`);
      }
      await stillServed();
    });

    it('refuses two Host headers (400), whichever comes first', async () => {
      for (const hosts of [
        ['evil.example', hostOf('alpha')],
        [hostOf('alpha'), 'evil.example'],
        [hostOf('alpha'), hostOf('beta')],
      ]) {
        tried();
        const answer = await raw(`GET / HTTP/1.1\r\nHost: ${hosts[0]}\r\nhost: ${hosts[1]}\r\nConnection: close\r\n\r\n`);
        assert.equal(answer.status, 400, `Host ${hosts.join(' and ')}: ${answer.text.slice(0, 200)}`);
      }
      await stillServed();
    });

    it('tells the backend what the browser asked, not what the request claims in X-Forwarded-* or Forwarded', async () => {
      tried();
      const seen = JSON.parse(
        (
          await requestVia(port(), hostOf('alpha'), '/request-headers/', {
            headers: {
              'x-forwarded-host': 'evil.example',
              'x-forwarded-for': '203.0.113.7',
              'x-forwarded-proto': 'https',
              'x-forwarded-port': '443',
              forwarded: 'for=203.0.113.7;host=evil.example;proto=https',
            },
          })
        ).body,
      ) as Record<string, string | null>;
      assert.equal(seen.HTTP_X_FORWARDED_HOST, hostOf('alpha'));
      assert.equal(seen.HTTP_X_FORWARDED_FOR, '127.0.0.1');
      assert.equal(seen.HTTP_X_FORWARDED_PROTO, 'http');
      assert.equal(seen.HTTP_X_FORWARDED_PORT, String(port()));
      assert.equal(seen.HTTP_FORWARDED, null);
      await stillServed();
    });

    it('serves no file outside the site for traversal in the path', async () => {
      const paths = [
        '/../../../../../../etc/passwd',
        '/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
        '/static/../../../../../../etc/passwd',
        '/static/..%2f..%2f..%2f..%2f..%2fetc%2fpasswd',
        '/static/%2e%2e%5c%2e%2e%5c%2e%2e%5cetc%5cpasswd',
        '//etc/passwd',
        `//127.0.0.1:${canary.port()}/`,
      ];
      for (const pathname of paths) {
        for (const host of [hostOf('alpha'), 'evil.example']) {
          tried();
          const answer = await requestVia(port(), host, pathname);
          assert.doesNotMatch(answer.body, /root:[^:]*:0:0:/, `${host} ${pathname}`);
          assert.notEqual(answer.status, 200, `${host} ${pathname}`);
        }
      }
      await stillServed();
    });

    it('refuses a request smuggled with two lengths (400)', async () => {
      for (const lengths of ['Content-Length: 5\r\nTransfer-Encoding: chunked', 'Content-Length: 0\r\nContent-Length: 44']) {
        tried();
        const smuggled = `GET /visit/ HTTP/1.1\r\nHost: ${hostOf('alpha')}\r\n\r\n`;
        const answer = await raw(`POST / HTTP/1.1\r\nHost: ${hostOf('alpha')}\r\n${lengths}\r\nConnection: close\r\n\r\n0\r\n\r\n${smuggled}`);
        assert.equal(answer.status, 400, lengths);
        assert.equal(h1(answer.body), null);
      }
      await stillServed();
    });

    it('answers WebSocket upgrades to names of its own it does not serve with 404, to any other name with 421', async () => {
      for (const [host, status] of [
        ['evil.localhost', 404],
        [`evil.${project()}.localhost:${port()}`, 404],
        ['169.254.169.254', 421],
        [`evil.example:${canary.port()}`, 421],
        ['[fe80::1]', 421],
      ] as const) {
        tried();
        const answer = await raw(`GET / HTTP/1.1\r\nHost: ${host}\r\n${HANDSHAKE_LINES}\r\n`);
        assert.equal(answer.status, status, host);
      }
      await stillServed();
    });

    it(`serves a site while ${FLOOD} connections hang open mid-request`, async () => {
      await whileHanging(port(), `GET / HTTP/1.1\r\nHost: ${hostOf('beta')}\r\n`, async () => {
        tried();
        await stillServed();
      });
    });
  });
});
