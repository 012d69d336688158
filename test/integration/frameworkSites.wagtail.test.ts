/**
 * A Wagtail project through the product (issue 22): the real CLI and daemon
 * on a copy of test/fixtures/wagtail-sites (Wagtail 5.2's stand-in, four
 * wagtailcore.Site rows made by its `load_initial_data`, no
 * django.contrib.sites, no SITE_ID, no multisite.json). Its sites come from
 * Django, named as Wagtail names them; the Host picks the site, so one
 * runserver serves them all behind the proxy, and each answers at its own
 * `.localhost` address with its own root page. The site on port 8081 gets
 * there through X-Forwarded-Port, where the settings trust it.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import type { ProjectState, Site, SitesResult, StatusResult } from '../../protocol/protocol';
import { FIXTURES } from '../support/demoProject';
import { requestVia } from '../support/http';
import { useFreePort } from '../support/useFreePort';
import { useSandbox } from '../support/useSandbox';

interface StatusJson extends StatusResult {
  project: ProjectState | null;
}

const SETUP_ENV = { ...process.env, PYTHONDONTWRITEBYTECODE: '1', MULTISITE_FIXTURE_FRAMEWORKS: path.join(FIXTURES, 'frameworks') };

const shownSite = (body: string): string | undefined => /<h1 id="site-name">([^<]*)<\/h1>/.exec(body)?.[1];

function wagtailSuite(settings: string, forwardsPort: boolean): void {
  describe(`a Wagtail project (${settings}) through the real daemon and proxy`, function () {
    this.timeout(120_000);
    const port = useFreePort(26_000);
    const sandbox = useSandbox({
      requires: ['django', 'treebeard'],
      project: { source: path.join(FIXTURES, 'wagtail-sites'), setup: false },
      env: { PYTHONDONTWRITEBYTECODE: '1' },
      prepare: (created) => void execFileSync('sh', [path.join(created.demo, 'setup.sh')], { env: SETUP_ENV, stdio: 'pipe' }),
      hookTimeoutMs: 120_000,
    });
    const hostOf = (site: Site): string => new URL(site.localhostUrl as string).host;

    it('lists the sites Wagtail has, named as Wagtail names them, and serves each at its own address from one runserver', async () => {
      // The settings module the project's developer chose: kept for the later commands, and every run of its code.
      const result = await sandbox().cliJson<SitesResult>(['sites', '--settings', settings, '--port', String(port())]);
      assert.deepEqual(
        result.sites.map((s) => [s.name, s.domains.live, s.sources[0]]),
        [
          ['Bakery', 'www.bakery.test', 'Wagtail Sites'],
          ['Bakery Blog', 'blog.bakery.test', 'Wagtail Sites'],
          ['Order online', 'shop.bakery.test', 'Wagtail Sites'], // no site_name: the root page's title
          ['Bakery Preview', 'www.bakery.test:8081', 'Wagtail Sites'],
        ],
      );
      assert.equal(result.routing, 'host');
      assert.match(result.routingReason ?? '', /Wagtail picks the site by the request’s Host and port/);

      await sandbox().cliJson(['switch', result.sites[1].slug, '--port', String(port())]);
      const status = await sandbox().cliJson<StatusJson>(['status']);
      for (const backend of status.project?.backends ?? []) if (backend.pid) sandbox().startedGroups.add(backend.pid);
      assert.equal(status.project?.strategy, 'host');
      assert.equal(status.project?.backends.length, 1, 'one runserver for every site');
      const served = (await sandbox().cliJson<SitesResult>(['sites'])).sites;
      // Without USE_X_FORWARDED_PORT Django ignores the port the proxy names: Wagtail's default site answers.
      const expected = ['Bakery', 'Bakery Blog', 'Order online', forwardsPort ? 'Bakery Preview' : 'Bakery'];
      for (const [i, site] of served.entries()) {
        const answer = await requestVia(port(), hostOf(site));
        assert.equal(answer.status, 200, site.slug);
        assert.equal(shownSite(answer.body), expected[i], `${site.slug} at ${site.localhostUrl}`);
      }
      // The bare address serves the current site.
      assert.equal(shownSite((await requestVia(port(), `127.0.0.1:${port()}`)).body), 'Bakery Blog');
    });
  });
}

wagtailSuite('bakery.settings.dev_proxy', true);
wagtailSuite('bakery.settings.dev', false);
