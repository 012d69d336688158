/**
 * The django-multisite 1.9.0 and django-multisite-plus 0.7.2 stand-ins
 * (test/fixtures/frameworks) behave as the real frameworks, on real Django
 * runserver with their fixture projects: the Host picks the site through the
 * multisite.Alias table; SITE_ID from the environment is only the default.
 * django-multisite answers 404 to a Host no alias knows; Divio's
 * multisite-plus middleware serves such a Host as the default site and
 * answers 404 only to a Host that ALLOWED_HOSTS refuses.
 */
import * as assert from 'node:assert/strict';
import { requireComponents } from '../support/components';
import { requestVia } from '../support/http';
import type { Answer } from '../support/http';
import { removeCopy, setUpCopy, startRunserver, venvPython } from '../support/standInServer';
import type { RunningServer } from '../support/standInServer';

const siteName = (answer: Answer): string | undefined => /<h1 id="site-name">([^<]*)<\/h1>/.exec(answer.body)?.[1];

/** Python run in the project (settings imported, django.setup()) printing JSON. */
const READ_ROWS = `
import json, django
django.setup()
from django.apps import apps
from django.conf import settings
def rows(label, model, fields):
    Model = apps.get_model(label, model)
    return {"table": Model._meta.db_table, "rows": [list(r) for r in Model._base_manager.order_by("pk").values_list(*fields)]}
out = {"site_id": [type(settings.SITE_ID).__name__, int(settings.SITE_ID)], "middleware": settings.MIDDLEWARE}
out["sites"] = rows("sites", "Site", ["id", "domain", "name"])
out["aliases"] = rows("multisite", "Alias", ["domain", "site_id", "is_canonical", "redirect_to_canonical"])
if apps.is_installed("django_multisite_plus"):
    out["plus"] = rows("django_multisite_plus", "Site", ["site_id", "slug", "real_domain", "is_enabled"])
print(json.dumps(out))
`;

interface Rows {
  site_id: [string, number];
  middleware: string[];
  sites: { table: string; rows: unknown[][] };
  aliases: { table: string; rows: unknown[][] };
  plus?: { table: string; rows: unknown[][] };
}

/** The rows and settings of a set-up copy, `settings` its DJANGO_SETTINGS_MODULE (as in its manage.py). */
async function readRows(dir: string, settings: string, env: NodeJS.ProcessEnv = {}): Promise<Rows> {
  return JSON.parse(await venvPython(dir, ['-c', READ_ROWS], { DJANGO_SETTINGS_MODULE: settings, ...env })) as Rows;
}

const versionOf = async (dir: string, name: string): Promise<string> =>
  (await venvPython(dir, ['-c', `import importlib.metadata as m; print(m.version(${JSON.stringify(name)}))`])).trim();

describe('framework stand-in: django-multisite (multisite-hosts fixture, real runserver)', function () {
  this.timeout(60_000);
  let dir: string | undefined;
  let server: RunningServer | undefined;
  const get = (host: string, pathname = '/'): Promise<Answer> => requestVia(server!.port, host, pathname);

  before(async function () {
    requireComponents(this, 'django');
    this.timeout(240_000);
    dir = await setUpCopy('multisite-hosts');
    server = await startRunserver(dir, { SITE_ID: '2' }); // the default: only dotless Hosts get it
  });
  after(async () => {
    await server?.stop();
    removeCopy(dir);
  });

  it('is installed as django-multisite 1.9.0 for the venv', async () => {
    assert.equal(await versionOf(dir!, 'django-multisite'), '1.9.0');
  });

  it('keeps the sites in django_site and every name in multisite_alias, canonical ones synced after migrate', async () => {
    const rows = await readRows(dir!, 'confsite.settings');
    assert.deepEqual(rows.site_id, ['SiteID', 1]);
    assert.equal(rows.aliases.table, 'multisite_alias');
    assert.deepEqual(rows.sites.rows, [
      [1, 'riverconf.example', 'RiverConf'],
      [2, '2024.riverconf.example', 'RiverConf 2024'],
      [3, '2025.riverconf.example', 'RiverConf 2025'],
    ]);
    const aliases = new Set(rows.aliases.rows.map((row) => JSON.stringify(row)));
    for (const row of [
      ['riverconf.example', 1, true, true],
      ['2024.riverconf.example', 2, true, true],
      ['2025.riverconf.example', 3, true, true],
      ['www.riverconf.example', 1, null, true],
      ['riverconf2025.example', 3, null, false],
    ])
      assert.ok(aliases.has(JSON.stringify(row)), `alias ${JSON.stringify(row)} in ${[...aliases].join(' ')}`);
  });

  it('serves each site at its own domain, with or without a port, whatever SITE_ID says', async () => {
    for (const [host, name] of [
      ['riverconf.example', 'RiverConf'],
      [`2024.riverconf.example:${server!.port}`, 'RiverConf 2024'],
      ['2025.riverconf.example', 'RiverConf 2025'],
      ['RiverConf2025.example', 'RiverConf 2025'], // an extra alias that does not redirect; case does not matter
    ]) {
      const answer = await get(host);
      assert.equal(answer.status, 200, host);
      assert.equal(siteName(answer), name, host);
      assert.match(answer.body, new RegExp(`The ${name} programme`), 'Page.objects (CurrentSiteManager) follows the Host');
    }
  });

  it('redirects an alias with redirect_to_canonical to the site domain (301, path kept, port dropped)', async () => {
    const answer = await get(`www.riverconf.example:${server!.port}`, '/talks/?day=2');
    assert.equal(answer.status, 301);
    assert.equal(answer.headers.location, 'http://riverconf.example/talks/?day=2');
  });

  it('answers 404 to a Host no alias knows: another domain, a .localhost name, the bare address', async () => {
    for (const host of ['unknown.example', `riverconf-2024.proj.localhost:${server!.port}`, `127.0.0.1:${server!.port}`]) {
      assert.equal((await get(host)).status, 404, host);
    }
  });

  it('gives a dotless Host (DEBUG) and code outside requests the SITE_ID default', async () => {
    assert.equal(siteName(await get(`localhost:${server!.port}`)), 'RiverConf 2024');
    assert.deepEqual((await readRows(dir!, 'confsite.settings', { SITE_ID: '3' })).site_id, ['SiteID', 3]);
  });
});

describe('framework stand-in: django-multisite-plus, single-process as Divio wires it (multisite-plus-divio fixture)', function () {
  this.timeout(60_000);
  let dir: string | undefined;
  let server: RunningServer | undefined;
  const get = (host: string): Promise<Answer> => requestVia(server!.port, host, '/');

  before(async function () {
    requireComponents(this, 'django');
    this.timeout(240_000);
    dir = await setUpCopy('multisite-plus-divio');
    server = await startRunserver(dir, { SITE_ID: '2' });
  });
  after(async () => {
    await server?.stop();
    removeCopy(dir);
  });

  it('is installed as django-multisite-plus 0.7.2 on django-multisite 1.9.0', async () => {
    assert.equal(await versionOf(dir!, 'django-multisite-plus'), '0.7.2');
    assert.equal(await versionOf(dir!, 'django-multisite'), '1.9.0');
  });

  it('has the sites multisite_plus_populate_sites wrote: its table, contrib sites at rewritten domains, aliases', async () => {
    const rows = await readRows(dir!, 'settings');
    assert.deepEqual(rows.site_id, ['SiteID', 1]);
    assert.equal(rows.middleware[0], 'django_multisite_plus.middlewares.DynamicSiteMiddleware');
    assert.equal(rows.plus?.table, 'django_multisite_plus_site');
    assert.deepEqual(rows.plus?.rows, [
      [1, 'harbour', 'www.harbour-gazette.example', true],
      [2, 'orchard', 'www.orchard-courier.example', true],
      [3, 'quarry', 'www.quarry-journal.example', true],
    ]);
    assert.deepEqual(rows.sites.rows, [
      [1, 'harbour.divio.me', 'Harbour Gazette'],
      [2, 'orchard.divio.me', 'Orchard Courier'],
      [3, 'quarry.divio.me', 'Quarry Journal'],
    ]);
    assert.deepEqual(rows.aliases.rows.map(([domain, site]) => [domain, site]).sort(), [
      ['harbour.divio.me', 1],
      ['orchard.divio.me', 2],
      ['quarry.divio.me', 3],
    ]);
  });

  it('serves each site at its domain whatever SITE_ID says', async () => {
    for (const [host, name] of [
      ['harbour.divio.me', 'Harbour Gazette'],
      [`orchard.divio.me:${server!.port}`, 'Orchard Courier'],
      ['quarry.divio.me', 'Quarry Journal'],
    ]) {
      const answer = await get(host);
      assert.equal(answer.status, 200, host);
      assert.equal(siteName(answer), name, host);
    }
  });

  it('serves a Host no alias knows as the SITE_ID default (200), and 404s a Host ALLOWED_HOSTS refuses', async () => {
    for (const host of ['unknown.example', `harbour.proj.localhost:${server!.port}`, `127.0.0.1:${server!.port}`]) {
      const answer = await get(host);
      assert.equal(answer.status, 200, host);
      assert.equal(siteName(answer), 'Orchard Courier', host);
    }
    // Not a valid host name: Django refuses it whatever ALLOWED_HOSTS says; django-multisite's fallback is a 404.
    assert.equal((await get('bad_host.example')).status, 404);
  });

  it('refuses to start while DJANGO_MULTISITE_PLUS_AUTO_POPULATE_SITES is True (0.7.2)', async () => {
    await assert.rejects(
      readRows(dir!, 'settings', { DJANGO_MULTISITE_PLUS_AUTO_POPULATE_SITES: 'true' }),
      /ImproperlyConfigured: DJANGO_MULTISITE_PLUS_AUTO_POPULATE_SITES/,
    );
  });

  it('in multi-process mode has a plain SITE_ID from the environment and no Host middleware', async () => {
    const rows = await readRows(dir!, 'settings', { DJANGO_MULTISITE_PLUS_MODE: 'multi-process', SITE_ID: '3' });
    assert.deepEqual(rows.site_id, ['int', 3]);
    assert.ok(!rows.middleware.some((name) => name.includes('DynamicSiteMiddleware')));
  });
});
