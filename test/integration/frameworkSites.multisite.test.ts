/**
 * django-multisite projects through the product (issue 22), the real CLI and
 * daemon on copies of two fixtures: a plain django-multisite project
 * (SiteID, DynamicSiteMiddleware, Alias rows; 404 for a Host it does not
 * know) and one wired as Divio wires django-multisite-plus in its
 * single-process mode. Both read SITE_ID from the environment, which used to
 * make the product start one runserver per SITE_ID, and every `.localhost`
 * address answered 404 on the first. Django says the middleware picks the
 * site by Host: one runserver serves every site, the proxy sends each site's
 * domain, and each answers at its own address with its own name.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import type { ProjectState, Site, SitesResult, StatusResult } from '../../protocol/protocol';
import { FIXTURES } from '../support/demoProject';
import { requestVia } from '../support/http';
import { sleep } from '../support/processes';
import { FRAMEWORKS, cleanEnv } from '../support/standInServer';
import { useFreePort } from '../support/useFreePort';
import { useSandbox } from '../support/useSandbox';

interface StatusJson extends StatusResult {
  project: ProjectState | null;
}

const shownSite = (body: string): string | undefined => /<h1 id="site-name">([^<]*)<\/h1>/.exec(body)?.[1];

for (const { fixture, middleware, names } of [
  { fixture: 'multisite-hosts', middleware: /django-multisite’s DynamicSiteMiddleware/, names: ['RiverConf', 'RiverConf 2024', 'RiverConf 2025'] },
  {
    fixture: 'multisite-plus-divio',
    middleware: /django-multisite-plus’s DynamicSiteMiddleware \(single-process mode\)/,
    names: ['Harbour Gazette', 'Orchard Courier', 'Quarry Journal'],
  },
]) {
  describe(`${fixture}: a project whose middleware picks the site by Host, through the real daemon and proxy`, function () {
    this.timeout(120_000);
    const port = useFreePort(28_000);
    const sandbox = useSandbox({
      requires: ['django'],
      project: { source: path.join(FIXTURES, fixture), setup: false },
      env: { PYTHONDONTWRITEBYTECODE: '1' },
      prepare: (created) =>
        void execFileSync('sh', [path.join(created.demo, 'setup.sh'), created.demo], {
          env: cleanEnv({ MULTISITE_FIXTURE_FRAMEWORKS: FRAMEWORKS }),
          stdio: 'pipe',
        }),
      hookTimeoutMs: 180_000,
    });

    it('serves every site from one runserver, each at its own .localhost address with its own name', async () => {
      // The first command of a fresh daemon: the switch does not wait for Django's read to start serving
      // what the files declare; when the read lands saying the Host picks the site, serving follows.
      const first = await sandbox().cliJson<{ site: Site }>(['switch', names[0], '--port', String(port())]);
      assert.equal(first.site.name, names[0]);
      const listed = await sandbox().cliJson<SitesResult>(['sites', '--port', String(port())]);
      assert.deepEqual(
        listed.sites.map((s) => s.name),
        names,
      );
      assert.equal(listed.routing, 'host');
      assert.match(listed.routingReason ?? '', middleware);
      let status = await sandbox().cliJson<StatusJson>(['status']);
      for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(200)) {
        status = await sandbox().cliJson<StatusJson>(['status']);
        for (const backend of status.project?.backends ?? []) if (backend.pid) sandbox().startedGroups.add(backend.pid);
        if (status.project?.strategy === 'host' && status.project.server.phase === 'running') break;
      }
      assert.equal(status.project?.strategy, 'host');
      assert.equal(status.project?.backends.length, 1, 'one runserver for every site');
      const served = (await sandbox().cliJson<SitesResult>(['sites'])).sites;
      const hostOf = (site: Site): string => new URL(site.localhostUrl as string).host;
      for (const site of served) {
        const answer = await requestVia(port(), hostOf(site));
        assert.equal(answer.status, 200, `${site.slug} at ${site.localhostUrl}`);
        assert.equal(shownSite(answer.body), site.name, site.slug);
      }
    });
  });
}
