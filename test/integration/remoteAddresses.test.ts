/**
 * Addresses for remote windows and the preview (issue 25), with the real
 * daemon and runserver backends of the demo (which sends Django's default
 * `X-Frame-Options: DENY`):
 * - through a TCP forwarder of the test's own on another port, as VS Code
 *   forwards a port, every site is reached by its name on the forwarded port
 *   and by its own port forwarded; a login POST passes Django's CSRF checks
 *   (Django 4's Origin check stood in for: test/fixtures/django4-csrf-origin)
 *   with the Origin of a forwarder's page, and another site's Origin is refused;
 * - a site's preview address serves it in a form a frame shows and keeps the
 *   cookies of, while its browser addresses keep Django's headers; the cookie
 *   check goes on to the page, or tells the editor the preview cannot log in.
 */
import * as assert from 'node:assert/strict';
import { appendFileSync, copyFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import type { Server } from 'node:net';
import * as path from 'node:path';
import { OpenProject, OpenSite, PreviewBlocked } from '../../protocol/protocol';
import type { PreviewBlockedParams, SitesResult, SwitchResult } from '../../protocol/protocol';
import { ADMIN, createAdmin } from '../support/demoAdmin';
import { FIXTURES } from '../support/demoProject';
import { requestVia } from '../support/http';
import type { Answer } from '../support/http';
import { useFreePort } from '../support/useFreePort';
import { useSandbox } from '../support/useSandbox';

const h1 = (body: string): string | null => /<h1 id="site-name">([^<]*)<\/h1>/.exec(body)?.[1] ?? null;
const NAMES: Record<string, string> = { alpha: 'Alpha News', beta: 'Beta Shop', gamma: 'Gamma Blog' };

/** A TCP forwarder on a port of its own to 127.0.0.1:`to`, as VS Code's port forwarding is: bytes both ways, Host untouched. */
async function forward(to: number): Promise<{ port: number; close: () => Promise<void> }> {
  const server: Server = createServer((inbound) => {
    const outbound = createConnection({ host: '127.0.0.1', port: to });
    inbound.pipe(outbound).pipe(inbound);
    inbound.on('error', () => outbound.destroy());
    outbound.on('error', () => inbound.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The cookies an answer sets, as a Cookie header. */
const cookieHeader = (answer: Answer): string =>
  [answer.headers['set-cookie'] ?? []]
    .flat()
    .map((line) => line.split(';')[0])
    .join('; ');

describe('addresses for remote windows and the preview (real daemon, real runserver backends)', function () {
  const port = useFreePort(25_000);
  const sandbox = useSandbox({ requires: ['django'] });

  before(function () {
    this.timeout(60_000);
    // Django 4's Origin check in place of 3.2's CsrfViewMiddleware, and an admin to log in as.
    const demo = sandbox().demo;
    copyFileSync(path.join(FIXTURES, 'django4-csrf-origin', 'django4_csrf_origin.py'), path.join(demo, 'django4_csrf_origin.py'));
    appendFileSync(
      path.join(demo, 'demo', 'settings.py'),
      '\nMIDDLEWARE[MIDDLEWARE.index("django.middleware.csrf.CsrfViewMiddleware")] = "django4_csrf_origin.OriginCheckingCsrfMiddleware"\n',
    );
    createAdmin(demo);
  });

  /** Logs in to the admin through `via` under `host`; the POST carries `headers` (Origin and the like). Returns the POST's answer. */
  const logIn = async (via: number, host: string, headers: Record<string, string>): Promise<Answer> => {
    const form = await requestVia(via, host, '/admin/login/?next=/admin/');
    assert.equal(form.status, 200, form.body.slice(0, 300));
    const token = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
    const body = new URLSearchParams({ csrfmiddlewaretoken: token, ...ADMIN, next: '/admin/' }).toString();
    return requestVia(via, host, '/admin/login/?next=/admin/', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body), cookie: cookieHeader(form), ...headers },
    });
  };

  it('reaches every site through a forwarded port, by name and by its own port, and logs in with a forwarder’s Origin', async () => {
    const sites = await sandbox().cliJson<SitesResult>(['sites', '--port', String(port())]);
    await sandbox().cliJson<SwitchResult>(['switch', 'alpha', '--port', String(port())]);
    const project = new URL(sites.sites[0].localhostUrl ?? '').hostname.split('.').slice(1).join('.');
    const forwarded = await forward(port());
    const forwards = [forwarded];
    try {
      for (const [slug, name] of Object.entries(NAMES)) {
        const byName = await requestVia(forwarded.port, `${slug}.${project}:${forwarded.port}`);
        assert.equal(h1(byName.body), name, `${slug} by name on the forwarded port`);
        const own = (await sandbox().cliJson<SitesResult>(['sites', '--port', String(port())])).sites.find((s) => s.slug === slug)?.portUrl;
        const ownForward = await forward(Number(new URL(own ?? '').port));
        forwards.push(ownForward);
        assert.equal(h1((await requestVia(ownForward.port, `localhost:${ownForward.port}`)).body), name, `${slug} by its own port forwarded`);
      }
      const host = `gamma.${project}:${forwarded.port}`;
      // Codespaces-like: the page is at the forwarder's own name, and the browser says the POST is that page's.
      const passed = await logIn(forwarded.port, host, { origin: `https://studious-${forwarded.port}.app.github.dev`, 'sec-fetch-site': 'same-origin' });
      assert.equal(passed.status, 302, passed.body.slice(0, 400));
      assert.equal(passed.headers.location, '/admin/');
      const admin = await requestVia(forwarded.port, host, '/admin/', { headers: { cookie: cookieHeader(passed) } });
      assert.match(admin.body, /Site administration/, 'logged in');
      // Another site's page posting across is refused by Django's Origin check (the stand-in is in force).
      const refused = await logIn(forwarded.port, host, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' });
      assert.equal(refused.status, 403);
      assert.match(refused.body, /Origin checking failed/);
    } finally {
      await Promise.all(forwards.map((f) => f.close()));
    }
  });

  it('previews a site in a form a frame shows and keeps cookies of, its browser addresses unchanged, and says when the frame keeps none', async () => {
    // Nothing served yet: the site previewed is served first, as the current one, and previewed all the same.
    assert.equal((await sandbox().cli(['daemon', 'stop'])).code, 0);
    const link = await sandbox().connect();
    const blocked: PreviewBlockedParams[] = [];
    link.connection.onNotification(PreviewBlocked.type, (params) => void blocked.push(params));
    try {
      await link.connection.sendRequest(OpenProject.type, { root: sandbox().demo, port: port() });
      const opened = await link.connection.sendRequest(OpenSite.type, { root: sandbox().demo, site: 'beta', preview: 'admin/' });
      const preview = opened.preview;
      assert.ok(preview, 'served through the proxy: a preview address');
      assert.equal(opened.site.slug, 'beta');
      const own = new URL(preview.url);
      const bare = new URL(preview.bareUrl);
      assert.equal(own.hostname, new URL(opened.localhostUrl ?? '').hostname, 'under the site’s own name');
      assert.equal(bare.host, `127.0.0.1:${own.port}`, 'and bare, on the same port');
      const previewPort = Number(own.port);

      // The cookie check, then the page.
      const first = await requestVia(previewPort, own.host, `${own.pathname}${own.search}`);
      assert.equal(first.status, 302);
      const checked = await requestVia(previewPort, own.host, `/__multisite-local/${first.headers.location}`, { headers: { cookie: cookieHeader(first) } });
      assert.equal(checked.headers.location, '../admin/');

      for (const host of [own.host, bare.host]) {
        const login = await requestVia(previewPort, host, '/admin/login/');
        assert.equal(login.status, 200, host);
        assert.equal(login.headers['x-frame-options'], undefined, `${host}: shown in a frame`);
        const csrf = [login.headers['set-cookie'] ?? []].flat().find((line) => line.startsWith('csrftoken='));
        assert.match(csrf ?? '', /; SameSite=None; Secure; Partitioned$/, host);
        assert.equal(h1((await requestVia(previewPort, host, '/')).body), 'Beta Shop', host);
      }
      // Where a browser goes, Django's own headers.
      const ownPort = Number(new URL(opened.site.portUrl ?? '').port);
      for (const [via, host] of [
        [port(), new URL(opened.localhostUrl ?? '').host],
        [ownPort, `127.0.0.1:${ownPort}`],
      ] as const) {
        const login = await requestVia(via, host, '/admin/login/');
        assert.equal(login.headers['x-frame-options'], 'DENY', host);
        assert.match([login.headers['set-cookie'] ?? []].flat().join('\n'), /csrftoken=[^\n]*SameSite=Lax/, host);
      }

      // A frame that kept no cookie: a page saying so, and the editor told (to offer the browser).
      const lost = await requestVia(previewPort, own.host, '/__multisite-local/preview-check?next=admin%2F');
      assert.equal(lost.status, 200);
      assert.match(lost.body, /Beta Shop cannot keep its login in this preview/);
      for (let tries = 0; blocked.length === 0 && tries < 50; tries++) await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(blocked.length, 1);
      assert.equal(blocked[0].site.slug, 'beta');
      assert.equal(blocked[0].url, opened.localhostUrl);
    } finally {
      link.dispose();
    }
  });
});
