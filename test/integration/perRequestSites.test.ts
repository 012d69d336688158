/**
 * One runserver for every SITE_ID (issue 27), on real runserver through the real daemon and its
 * proxy: a copy of test/fixtures/cms-sites (twenty sites, SITE_ID from the environment, django CMS's
 * apphook URLs built at import and its page cache stood in for). Every answer must name the site it
 * was asked for (settings.SITE_ID, Site.objects.get_current()), under concurrency, while a response
 * streams, after an edit (which reloads the one process), with an admin login per site; URLs built
 * at import follow the site; caches do not mix sites and the readiness probe fills none.
 */
import * as assert from 'node:assert/strict';
import { appendFileSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ProjectState, SitesResult, SwitchResult } from '../../protocol/protocol';
import { ADMIN } from '../support/demoAdmin';
import { FIXTURES } from '../support/demoProject';
import { requestVia } from '../support/http';
import type { Answer } from '../support/http';
import { groupMembers } from '../support/processTree';
import { seededRandom } from '../support/seededRandom';
import { useFreePort } from '../support/useFreePort';
import { useSandbox } from '../support/useSandbox';

interface SiteAnswer {
  siteId: number;
  currentSite: number;
  domain: string;
  fromCache?: boolean;
  renderedFor?: string;
  user?: string | null;
}

const SITE_COUNT = 20;

describe('one runserver for every SITE_ID (real daemon, real runserver, 20 sites)', function () {
  this.timeout(180_000);
  const port = useFreePort(23_100);
  const sandbox = useSandbox({ requires: ['django'], project: { source: path.join(FIXTURES, 'cms-sites'), setup: true }, hookTimeoutMs: 120_000 });
  let hosts = new Map<number, string>();

  const status = async (): Promise<ProjectState> => {
    const state = (await sandbox().cliJson<{ project: ProjectState | null }>(['status'])).project;
    assert.ok(state, 'the project is open');
    for (const b of state.backends) if (b.pid) sandbox().startedGroups.add(b.pid);
    return state;
  };
  const ask = (site: number, pathname = '/', headers: Record<string, string> = {}): Promise<Answer> =>
    requestVia(port(), hosts.get(site) as string, pathname, { headers });
  const json = async (site: number, pathname = '/', headers: Record<string, string> = {}): Promise<SiteAnswer> => {
    const answer = await ask(site, pathname, headers);
    assert.equal(answer.status, 200, `${pathname} on site ${site}: ${answer.body.slice(0, 300)}`);
    return JSON.parse(answer.body) as SiteAnswer;
  };
  const assertSite = (answer: SiteAnswer, site: number, what: string): void => {
    assert.deepEqual([answer.siteId, answer.currentSite, answer.domain], [site, site, `site${site}.example`], what);
  };

  before(async function () {
    this.timeout(120_000);
    await sandbox().cliJson<SwitchResult>(['switch', '1', '--port', String(port())]);
    const sites = await sandbox().cliJson<SitesResult>(['sites']);
    hosts = new Map(sites.sites.map((s) => [s.id as number, new URL(s.localhostUrl ?? '').host]));
    assert.equal(hosts.size, SITE_COUNT);
  });

  it('serves every site from one server, and says so', async () => {
    const state = await status();
    assert.equal(state.strategy, 'siteIdPerRequest', state.routingReason);
    assert.deepEqual(
      state.backends.map((b) => b.label),
      ['every site'],
    );
  });

  it("the readiness probe filled no cache: the current site's first page is rendered for its own address", async () => {
    const home = await json(1);
    assertSite(home, 1, 'the home page of site 1');
    assert.equal(home.fromCache, false, 'nothing was cached before the first request');
    assert.equal(home.renderedFor, hosts.get(1));
  });

  it('50 concurrent requests over 20 sites: each answer names its own site, before and after a wait', async () => {
    const next = seededRandom(27);
    const order = Array.from({ length: 50 }, (_, i) => (i % SITE_COUNT) + 1).sort(() => next() - 0.5);
    const answers = await Promise.all(order.map(async (site) => [site, await json(site, '/slow/?ms=150')] as const));
    for (const [site, answer] of answers) {
      const { before, after } = answer as unknown as { before: SiteAnswer; after: SiteAnswer };
      assertSite(before, site, `site ${site} before its wait`);
      assertSite(after, site, `site ${site} after its wait`);
    }
    const state = await status();
    assert.equal(state.backends.length, 1, 'still one server');
  });

  it('a site mark or a self-check a client sends does nothing, through the proxy or straight at the server', async () => {
    const forged = { 'x-multisite-local-site': 'guessed:7', 'x-multisite-local-check': 'guessed' };
    assertSite(await json(2, '/', forged), 2, 'through the proxy, the proxy’s own mark wins');
    const check = await ask(2, '/.multisite-local/check', forged);
    assert.equal(check.status, 404, 'the self-check is never answered through the proxy');
    const [server] = (await status()).backends;
    const direct = new URL(server.url ?? '');
    const straight = await requestVia(Number(direct.port), direct.host, '/', { headers: forged });
    assertSite(JSON.parse(straight.body) as SiteAnswer, 1, 'without the secret, the site the server started with');
    assert.equal((await requestVia(Number(direct.port), direct.host, '/.multisite-local/check', { headers: forged })).status, 404);
  });

  it('a URL built at import for one site (an apphook) answers there only: 200 on site 7, 404 on the 19 others', async () => {
    const codes = await Promise.all([...hosts.keys()].map(async (site) => [site, (await ask(site, '/events/')).status] as const));
    assert.deepEqual(
      codes.filter(([site, code]) => code !== (site === 7 ? 200 : 404)),
      [],
    );
  });

  it('a cache keyed by path only does not mix sites; the page cache keeps each site its own', async () => {
    for (const site of [2, 3, 4]) assertSite(await json(site, '/cached/'), site, `/cached/ on site ${site}`);
    for (const site of [2, 3]) {
      const again = await json(site);
      assertSite(again, site, `the home page of site ${site}`);
    }
    const cached = await json(2);
    assert.equal(cached.fromCache, true, 'the page cache answers the second visit');
    assertSite(cached, 2, 'the cached home page of site 2');
  });

  it('streams one site while the others answer, each chunk naming its site', async () => {
    const started = Date.now();
    const streaming = ask(5, '/stream/?chunks=10&ms=150');
    const others = await Promise.all([6, 8, 9, 10, 11].map(async (site) => [site, await json(site)] as const));
    const answeredMs = Date.now() - started;
    for (const [site, answer] of others) assertSite(answer, site, `site ${site} during the stream`);
    const stream = await streaming;
    const chunks = stream.body
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as SiteAnswer);
    assert.equal(chunks.length, 10);
    for (const chunk of chunks) assertSite(chunk, 5, 'a streamed chunk');
    assert.ok(answeredMs < 1000, `the other sites answered while the stream ran (${answeredMs} ms; it takes 1.5 s)`);
  });

  it("logs in to one site's admin; its session stays its own", async () => {
    const form = await ask(3, '/admin/login/?next=/whoami/');
    assert.equal(form.status, 200, form.body.slice(0, 300));
    const token = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
    const body = new URLSearchParams({ csrfmiddlewaretoken: token, ...ADMIN, next: '/whoami/' }).toString();
    const cookies = (answer: Answer): string => (answer.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
    const posted = await requestVia(port(), hosts.get(3) as string, '/admin/login/?next=/whoami/', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body), cookie: cookies(form) },
    });
    assert.equal(posted.status, 302, posted.body.slice(0, 300));
    for (const cookie of posted.headers['set-cookie'] ?? []) assert.doesNotMatch(cookie, /domain=/i, 'a cookie of the site’s own name only');
    const session = cookies(posted);
    const mine = await json(3, '/whoami/', { cookie: session });
    assertSite(mine, 3, 'site 3 logged in');
    assert.equal(mine.user, ADMIN.username);
    const other = await json(4, '/whoami/');
    assertSite(other, 4, 'site 4, whose browser has no cookie of site 3');
    assert.equal(other.user, null);
  });

  it('an edit reloads the one process, and every site still answers as itself', async () => {
    const [server] = (await status()).backends;
    assert.ok(server.pid);
    const before = new Set(groupMembers(server.pid));
    appendFileSync(path.join(sandbox().demo, 'pages', 'views.py'), '\n# edited by the test\n');
    const deadline = Date.now() + 30_000;
    let after = new Set(groupMembers(server.pid));
    while ([...after].every((pid) => before.has(pid)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      after = new Set(groupMembers(server.pid));
    }
    assert.ok(
      [...after].some((pid) => !before.has(pid)),
      'the autoreloader started a new server process',
    );
    let answer: Answer | null = null;
    while (Date.now() < deadline && answer?.status !== 200) answer = await ask(12).catch(() => null);
    for (const site of [12, 13, 7]) assertSite(await json(site), site, `site ${site} after the reload`);
    const state = await status();
    assert.deepEqual(
      state.backends.map((b) => [b.label, b.pid]),
      [['every site', server.pid]],
      'one server, the same process group',
    );
    assert.ok(readFileSync(path.join(sandbox().demo, 'pages', 'views.py'), 'utf8').includes('edited by the test'));
  });

  it('with `--routing siteId` each site has a server of its own again, probed without a page', async () => {
    await sandbox().cliJson<SwitchResult>(['switch', '2', '--routing', 'siteId']);
    await sandbox().cliJson<SwitchResult>(['switch', '3']);
    const state = await status();
    assert.equal(state.strategy, 'siteId');
    assert.deepEqual(state.backends.map((b) => b.site).sort(), ['2', '3'].map((id) => `site${id}`).sort());
    const own = await json(2);
    assertSite(own, 2, 'site 2 from its own server');
    assert.deepEqual([own.fromCache, own.renderedFor], [false, hosts.get(2)], 'its readiness probe filled no cache either');
    await sandbox().cliJson<SwitchResult>(['switch', '1', '--routing', 'auto']);
    assert.equal((await status()).strategy, 'siteIdPerRequest');
  });
});

describe('the self-check of one server for every SITE_ID refuses code that reads the site at import (real runserver)', function () {
  this.timeout(120_000);
  const port = useFreePort(23_300);
  const sandbox = useSandbox({ requires: ['django'], project: { source: path.join(FIXTURES, 'site-at-import'), setup: true }, hookTimeoutMs: 120_000 });

  it('serves each site from a server of its own, saying why (the file and line), and every site answers as itself', async () => {
    await sandbox().cliJson<SwitchResult>(['switch', '2', '--port', String(port())]);
    const state = (await sandbox().cliJson<{ project: ProjectState | null }>(['status'])).project;
    assert.ok(state);
    for (const b of state.backends) if (b.pid) sandbox().startedGroups.add(b.pid);
    assert.equal(state.strategy, 'siteId');
    assert.match(state.routingReason, /self-check: app\/views\.py:\d+ reads the site while app\.views is imported/);
    const sites = await sandbox().cliJson<SitesResult>(['sites']);
    for (const site of sites.sites) {
      const answer = await requestVia(port(), new URL(site.localhostUrl ?? '').host);
      assert.equal((JSON.parse(answer.body) as { siteId: number }).siteId, site.id, `${site.slug} answers as itself`);
    }
    const log = await sandbox().cli(['status']);
    assert.match(log.stdout, /failed its self-check/);
  });
});
