/**
 * A django-tenants project through the product (issue 22): the real CLI and
 * daemon on a copy of test/fixtures/tenants-schemas (the django-tenants 3.5
 * stand-in, one PostgreSQL schema per tenant, `SITE_ID = 1` for
 * django.contrib.sites only) against a private real PostgreSQL server. Its
 * tenants come from Django, by schema name with their domains (the primary
 * first); the Host picks the tenant, so one runserver serves them all, and
 * each answers at its own `.localhost` address with its own schema's rows.
 */
import * as assert from 'node:assert/strict';
import type { ProjectState, Site, SitesResult, StatusResult } from '../../protocol/protocol';
import { DaemonSandbox } from '../support/daemonSandbox';
import { requireComponents } from '../support/components';
import { requestVia } from '../support/http';
import { usePostgres } from '../support/postgres';
import { TENANTS_FIXTURE, databaseUrlEnv, setUp } from '../support/tenantsFixture';
import { useFreePort } from '../support/useFreePort';

interface StatusJson extends StatusResult {
  project: ProjectState | null;
}

const DATABASE = 'tenants_product';

describe('a django-tenants project through the real daemon and proxy (real PostgreSQL)', function () {
  this.timeout(300_000);
  const port = useFreePort(27_000);
  const postgres = usePostgres();
  let sandbox: DaemonSandbox | undefined;

  before(async function () {
    requireComponents(this, 'django', 'postgres');
    await postgres().createDatabase(DATABASE);
    const env = databaseUrlEnv(postgres(), DATABASE);
    sandbox = new DaemonSandbox({ ...env, PYTHONDONTWRITEBYTECODE: '1' }, { source: TENANTS_FIXTURE, setup: false });
    await setUp(sandbox.demo, env);
  });
  after(async () => {
    await sandbox?.dispose();
  });

  it('lists each tenant by schema with its domains, and serves each at its own address from one runserver', async () => {
    const box = sandbox as DaemonSandbox;
    const result = await box.cliJson<SitesResult>(['sites', '--port', String(port())]);
    const tenants = result.sites.filter((s) => s.sources[0] === 'tenant domains');
    assert.deepEqual(
      tenants.map((s) => [s.slug, s.name, s.domains.live, s.domains.local]),
      [
        ['public', 'Shelfwise', 'shelfwise.test', ['shelfwise.test']],
        ['acme', 'Acme Books', 'acme.shelfwise.test', ['acme.shelfwise.test', 'books.acme.example']],
        ['globex', 'Globex Library', 'globex.shelfwise.test', ['globex.shelfwise.test']],
        ['initech', 'Initech Archive', 'initech.shelfwise.test', ['initech.shelfwise.test']],
      ],
    );
    assert.equal(result.routing, 'host');
    assert.match(result.routingReason ?? '', /django-tenants picks the tenant by the request’s Host/);

    await box.cliJson(['switch', 'acme', '--port', String(port())]);
    const status = await box.cliJson<StatusJson>(['status']);
    for (const backend of status.project?.backends ?? []) if (backend.pid) box.startedGroups.add(backend.pid);
    assert.equal(status.project?.backends.length, 1, 'one runserver for every tenant');
    const served = (await box.cliJson<SitesResult>(['sites'])).sites.filter((s) => s.sources[0] === 'tenant domains' && s.slug !== 'public');
    const hostOf = (site: Site): string => new URL(site.localhostUrl as string).host;
    for (const site of served) {
      const answer = await requestVia(port(), hostOf(site));
      assert.equal(answer.status, 200, site.slug);
      assert.equal(/<code id="current-schema">([^<]*)<\/code>/.exec(answer.body)?.[1], site.slug, `${site.slug}: its own schema`);
      assert.equal(/<h1 id="site-name">([^<]*)<\/h1>/.exec(answer.body)?.[1], site.name);
    }
  });
});
