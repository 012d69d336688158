/**
 * The session behind the local proxy, in process: warm backends are fake
 * runners whose starts answer or fail when the test says so. What a switch
 * starts and what it only retargets, the pool's bound, a backend that fails
 * while the others keep serving, hosts mode taking the proxy down and
 * leaving it bringing it back. The proxy itself listens for real (on a free
 * port); no Python.
 */
import { SitePortBook } from '../../../../daemon/proxy/sitePortBook';
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ComposePortEdits } from '../../../../daemon/compose/composePortEdits';
import { HostsEntries } from '../../../../daemon/hosts/hostsEntries';
import { ProjectSession } from '../../../../daemon/session/projectSession';
import { DaemonErrorCode } from '../../../../protocol/protocol';
import type { LogLine, SitesResult } from '../../../../protocol/protocol';
import { choosePort } from '../../../../daemon/runners/freePort';
import { FakeRunners } from '../../../support/fakeRunner';
import { daemonErrorOf } from '../../../support/daemonErrorOf';
import { projectCodeIn } from '../../../support/projectCode';

const SETTINGS = `import os
if os.environ.get("SITE_ID"):
    SITE_ID = int(os.environ["SITE_ID"])
DJANGO_MULTISITE_PLUS_SITES = {
    "shop": {"id": 2, "real_domain": "shop.test", "name": "Shop"},
    "blog": {"id": 1, "real_domain": "blog.test", "name": "Blog"},
    "news": {"id": 3, "real_domain": "news.test", "name": "News"},
}
`;

describe('ProjectSession behind the local proxy, with fake backends', () => {
  let dir: string;
  let root: string;
  let runners: FakeRunners;
  let session: ProjectSession;
  let logs: LogLine[];
  /** What clients were told about the sites, in order. */
  let sitesSent: SitesResult[];
  let port: number;

  /** Opens the project; settings that read SITE_ID from the environment get a server per site (one for every site needs real Python: perRequestSites.test.ts). */
  async function open(settings: string, warmSites: number): Promise<void> {
    writeFileSync(path.join(root, 'proj', 'settings.py'), settings);
    const home = path.join(dir, 'home');
    mkdirSync(home, { recursive: true });
    session = new ProjectSession(
      root,
      runners.factory,
      { hosts: new HostsEntries(home), composePorts: new ComposePortEdits(home), projectCode: projectCodeIn(home), portBook: new SitePortBook(home) },
      { stateChanged: () => undefined, sitesChanged: (result) => sitesSent.push(result), log: (line) => logs.push(line), previewBlocked: () => undefined },
    );
    await session.open({ root, trusted: false, port, warmSites, routing: settings.includes('os.environ') ? 'siteId' : null });
  }

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'msl-proxied-'));
    root = path.join(dir, 'project');
    mkdirSync(path.join(root, 'proj'), { recursive: true });
    writeFileSync(path.join(root, 'manage.py'), 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n');
    runners = new FakeRunners();
    logs = [];
    sitesSent = [];
    port = await choosePort(0);
  });

  afterEach(async () => {
    await session.serving.stop();
    await session.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Switches to `site`, whose backend is cold, and lets it answer. */
  const serveCold = (site: string): Promise<unknown> => runners.answered(session.serving.switchTo(site));

  it('starts a backend per site with its SITE_ID on any free port; a switch back to a warm one starts nothing', async () => {
    await open(SETTINGS, 3);
    assert.equal(session.state().strategy, 'siteId');
    await serveCold('shop');
    await serveCold('blog');
    assert.deepEqual(
      runners.starts.map((s) => [s.request.siteId, s.request.label]),
      [
        [2, 'Shop'],
        [1, 'Blog'],
      ],
    );
    assert.ok(
      runners.starts.every((s) => s.request.readyHost === undefined),
      'SITE_ID picks the site: the default probe',
    );
    const warm = await session.serving.switchTo('shop');
    assert.equal(runners.starts.length, 2, 'no new start for a warm site');
    assert.equal(warm.url, `http://127.0.0.1:${port}/`);
    assert.equal(warm.localhostUrl, `http://shop.project.localhost:${port}/`);
    const state = session.state();
    assert.equal(state.currentSite?.slug, 'shop');
    assert.equal(state.server.phase, 'running');
    assert.equal(state.server.url, `http://127.0.0.1:${port}/`);
    assert.deepEqual(
      state.backends.map((b) => [b.label, b.phase]),
      [
        ['Shop', 'running'],
        ['Blog', 'running'],
      ],
    );
  });

  it('keeps the pool bounded: past the bound the least recently used backend stops, never the current one', async () => {
    await open(SETTINGS, 2);
    await serveCold('shop');
    await serveCold('blog');
    const [shop, blog] = runners.starts;
    await serveCold('news');
    await new Promise((resolve) => setTimeout(resolve, 20)); // the pool makes room once the new one answers
    assert.equal(shop.server?.stopped, true, 'Shop was used least recently');
    assert.equal(blog.server?.stopped, false);
    assert.deepEqual(
      session
        .state()
        .backends.map((b) => b.label)
        .sort(),
      ['Blog', 'News'],
    );
    assert.ok(logs.some((l) => /Stopped the warm backend for Shop \(least recently used; 2 stay warm\)/.test(l.text)));
  });

  it('a switch replaced while its backend starts is Superseded, and the backend keeps starting (it is warm afterwards)', async () => {
    await open(SETTINGS, 3);
    await serveCold('shop');
    const slow = session.serving.switchTo('blog');
    const blogStart = await runners.next();
    const back = session.serving.switchTo('shop');
    assert.equal((await daemonErrorOf(slow)).code, DaemonErrorCode.Superseded);
    await back;
    assert.equal(session.state().currentSite?.slug, 'shop');
    await blogStart.answer();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(session.state().backends.find((b) => b.label === 'Blog')?.phase, 'running');
    await session.serving.switchTo('blog');
    assert.equal(runners.starts.length, 2, 'Blog was warm: no second start');
  });

  it('a backend that fails is reported with its sentence while the others keep serving', async () => {
    await open(SETTINGS, 3);
    await serveCold('shop');
    const failing = session.serving.switchTo('blog');
    (await runners.next()).fail('runserver exited with code 1 before it answered: SyntaxError');
    const error = await daemonErrorOf(failing);
    assert.equal(error.code, DaemonErrorCode.ServerFailed);
    assert.equal(error.message, 'Serving Blog failed: runserver exited with code 1 before it answered: SyntaxError.');
    const state = session.state();
    assert.equal(state.server.phase, 'failed');
    assert.deepEqual(
      state.backends.map((b) => [b.label, b.phase]),
      [
        ['Blog', 'failed'],
        ['Shop', 'running'],
      ],
    );
    // Shop still answers the switch at once; a later switch to Blog tries again.
    await session.serving.switchTo('shop');
    assert.equal(session.state().server.phase, 'running');
    await serveCold('blog');
    assert.equal(runners.starts.length, 3);
  });

  it('routes by Host through one backend without SITE_ID when the settings never read SITE_ID', async () => {
    await open('DJANGO_MULTISITE_PLUS_SITES = {"shop": {"id": 2, "real_domain": "shop.test"}, "blog": {"id": 1, "real_domain": "blog.test"}}\n', 3);
    assert.equal(session.state().strategy, 'host');
    await serveCold('shop');
    await session.serving.switchTo('blog');
    assert.deepEqual(
      runners.starts.map((s) => [s.request.siteId, s.request.label]),
      [[null, 'every site']],
    );
    assert.equal(runners.starts[0].request.readyHost?.(8123), 'shop.test', 'probed with the Host the proxy forwards for the current site');
  });

  it('a routing the client chooses while a site is served is followed: the current site is served the new way', async () => {
    await open(SETTINGS, 3);
    await serveCold('shop');
    assert.equal(session.state().strategy, 'siteId');
    await session.open({ root, trusted: false, port, warmSites: 3, routing: 'host' });
    const start = await runners.next();
    assert.deepEqual([start.request.siteId, start.request.label], [null, 'every site']);
    await start.answer();
    assert.equal(session.state().strategy, 'host');
    assert.equal(session.state().currentSite?.slug, 'shop');
  });

  it('warmSites 0 restarts one server per switch, on the project port, with no proxy', async () => {
    await open(SETTINGS, 0);
    assert.equal(session.state().strategy, 'restart');
    await serveCold('shop');
    assert.equal(runners.starts[0].port, port);
    assert.deepEqual(session.state().backends, []);
    assert.equal(session.sites().sites[0].localhostUrl, null);
  });

  it('hosts mode stops the proxy and its backends; leaving it serves the current site through the proxy again', async () => {
    await open(SETTINGS, 3);
    await serveCold('shop');
    await serveCold('blog');
    const [shop, blog] = runners.starts;
    const hostsFile = path.join(dir, 'hosts');
    writeFileSync(hostsFile, '127.0.0.1 localhost\n');
    const entering = session.serving.setMode({ mode: 'hosts', hostsFile });
    const everySite = await runners.next();
    assert.equal(everySite.request.siteId, null);
    assert.equal(shop.server?.stopped, true);
    assert.equal(blog.server?.stopped, true);
    await everySite.answer();
    await entering;
    assert.equal(session.state().strategy, 'restart');
    // Clients are told the sites have no .localhost address now, and again once they have one.
    const addresses = (): (string | null)[] => sitesSent[sitesSent.length - 1].sites.map((site) => site.localhostUrl);
    assert.deepEqual(addresses(), [null, null, null]);
    const leaving = session.serving.setMode({ mode: 'env' });
    const again = await runners.next();
    assert.deepEqual([again.request.siteId, again.request.label], [1, 'Blog']);
    await again.answer();
    await leaving;
    assert.equal(session.state().strategy, 'siteId');
    assert.equal(everySite.server?.stopped, true);
    assert.ok(
      addresses().every((url) => url?.endsWith(`.localhost:${port}/`)),
      addresses().join(', '),
    );
  });

  it('opening a site warms it at its own address without changing the current site', async () => {
    await open(SETTINGS, 3);
    await serveCold('shop');
    const opened = session.serving.openSite('news');
    await (await runners.next()).answer();
    const result = await opened;
    assert.equal(result.url, `http://news.project.localhost:${port}/`);
    assert.equal(session.state().currentSite?.slug, 'shop');
    assert.equal(session.state().backends.length, 2);
  });

  it('opening a site while a switch waits for its backend does not replace the switch', async () => {
    await open(SETTINGS, 3);
    await serveCold('shop');
    await session.serving.stop(); // no proxy now: opening must wait for the switch's, not cancel it
    const switching = session.serving.switchTo('blog');
    const opening = session.serving.openSite('news');
    for (let i = 0; i < 2; i++) await (await runners.next()).answer();
    await opening;
    const switched = await switching;
    assert.equal(switched.site.slug, 'blog');
    assert.equal(session.state().currentSite?.slug, 'blog');
  });

  for (const [cancel, code] of [
    ['superseded', DaemonErrorCode.Superseded],
    ['shutdown', DaemonErrorCode.ShuttingDown],
  ] as const) {
    it(`an open cut short by a stop (${cancel}) is cancelled as a switch would be, not reported as a failure`, async () => {
      await open(SETTINGS, 3);
      await serveCold('shop');
      const opening = daemonErrorOf(session.serving.openSite('news'));
      await runners.next(); // its backend is starting
      await session.serving.stop(cancel);
      const error = await opening;
      assert.equal(error.code, code, error.message);
      assert.deepEqual(session.state().backends, []);
    });
  }

  it('serves the current site as last read: a domain changed in the settings is the Host the backend sees', async () => {
    const hostOnly = (domain: string): string =>
      `DJANGO_MULTISITE_PLUS_SITES = {"shop": {"id": 2, "real_domain": "${domain}"}, "blog": {"id": 1, "real_domain": "blog.test"}}\n`;
    await open(hostOnly('shop.test'), 3);
    await serveCold('shop');
    writeFileSync(path.join(root, 'proj', 'settings.py'), hostOnly('shop.example'));
    await session.open({ root, trusted: false, port, warmSites: 3 });
    assert.equal(session.state().currentSite?.domains.live, 'shop.example');
  });
});
