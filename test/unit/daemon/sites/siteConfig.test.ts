/**
 * readSiteConfig on small temp projects (settings read without running them);
 * on fixture projects: domainConfig.test.ts.
 */
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readSiteConfig } from '../../../../daemon/sites/siteConfig';
import { useTempProjects } from '../../../support/tempProject';

const MANAGE = 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n';

describe('readSiteConfig', () => {
  const temp = useTempProjects('config', 'each');
  const make = (settings: string, manage = MANAGE): string => temp({ 'manage.py': manage, 'proj/settings.py': settings });

  it('reads DJANGO_MULTISITE_PLUS_SITES with live, test and local domains', async () => {
    const root = make(`
DJANGO_MULTISITE_PLUS_REWRITE_DOMAIN_FORMAT = "{}.stage.example"
DJANGO_MULTISITE_PLUS_AUTO_POPULATE_SITES = True
DJANGO_MULTISITE_PLUS_SITES = {
    "shop": {"id": 2, "real_domain": "shop.example", "name": "Shop", "aliases": ["www.shop.example"]},
    "blog": dict(id=1, real_domain="", name="Blog"),
}
`);
    const result = await readSiteConfig(root);
    assert.deepEqual(result.diagnostics, []);
    assert.deepEqual(
      result.sites.map((s) => [s.id, s.slug, s.name, s.domains, s.autoPopulated, s.sources]),
      [
        [1, 'blog', 'Blog', { live: 'blog.stage.example', test: 'blog.stage.example', local: ['blog.stage.example'] }, true, ['proj/settings.py:6']],
        [2, 'shop', 'Shop', { live: 'shop.example', test: 'shop.stage.example', local: ['shop.example', 'www.shop.example'] }, true, ['proj/settings.py:5']],
      ],
    );
  });

  it('reports a computed setting with its file and line, without running it', async () => {
    const marker = path.join(os.tmpdir(), `msl-executed-${process.pid}`);
    const root = make(`import pathlib\npathlib.Path(${JSON.stringify(marker)}).write_text("ran")\nDJANGO_MULTISITE_PLUS_SITES = load_sites()\n`);
    const result = await readSiteConfig(root);
    assert.equal(existsSync(marker), false, 'project code was executed');
    assert.deepEqual(result.sites, []);
    assert.equal(result.diagnostics.length, 1);
    assert.equal(result.diagnostics[0].line, 3);
    assert.equal(result.diagnostics[0].file, path.join(root, 'proj', 'settings.py'));
    assert.match(result.diagnostics[0].message, /cannot be read without running the settings/);
  });

  it('skips malformed entries with a diagnostic and keeps the rest', async () => {
    const root = make(`DJANGO_MULTISITE_PLUS_SITES = {"ok": {"id": 1, "name": "Ok"}, "bad": {"name": "No id"}, "worse": 3}\n`);
    const result = await readSiteConfig(root);
    assert.deepEqual(
      result.sites.map((s) => s.slug),
      ['ok'],
    );
    assert.equal(result.diagnostics.length, 2);
  });

  it('reports a bracket never closed on its line, instead of finding no sites (issue 14)', async () => {
    const root = make('import os\nLOGGING = dict(\n    version=1,\n\nDJANGO_MULTISITE_PLUS_SITES = {"shop": {"id": 1, "real_domain": "shop.example"}}\n');
    const result = await readSiteConfig(root);
    assert.deepEqual(result.sites, []);
    assert.deepEqual(
      result.diagnostics.map((d) => [d.severity, d.file, d.line, d.message]),
      [['error', path.join(root, 'proj', 'settings.py'), 2, "proj/settings.py is not valid Python ('(' was never closed), so no setting in it was read."]],
    );
  });

  it('says nothing more of the Sites table when the settings are not valid Python: their error, on its line, is why (issue 14)', async () => {
    const root = make('DJANGO_MULTISITE_PLUS_SITES = {\n    "shop": {"id": 1,, "real_domain": "shop.example"},\n}\n');
    const result = await readSiteConfig(root, { django: { ok: false, reason: 'SyntaxError: invalid syntax', file: null, line: null } });
    assert.deepEqual(
      result.diagnostics.map((d) => [d.severity, d.code, d.line, d.message]),
      [['error', 'config-error', 2, 'proj/settings.py is not valid Python (invalid syntax: "," where a value should be), so no setting in it was read.']],
    );
  });

  it('shows a slug holding a line break between quotes, on one line (issue 14)', async () => {
    const root = make('DJANGO_MULTISITE_PLUS_SITES = {"a\\nb": {"name": "No id"}, "c\\nd": {"id": 1}, "e": {"id": 1}}\n');
    const messages = (await readSiteConfig(root)).diagnostics.map((d) => d.message);
    assert.ok(messages.includes('Site "a\\nb" in proj/settings.py:1 needs a positive integer "id".'), messages.join('\n'));
    assert.ok(messages.includes('Sites "c\\nd" (proj/settings.py:1) and "e" (proj/settings.py:1) both have id 1.'), messages.join('\n'));
    assert.ok(messages.every((m) => !m.includes('\n')));
  });

  it('reads valid Python with named escapes and Unicode names (issue 14)', async () => {
    const root = make(
      'SEPARATOR = " \\N{BULLET} "\nµ = 1\nnaïve_π = 3.14\nDJANGO_MULTISITE_PLUS_SITES = {"shop": {"id": 1, "real_domain": "shop.example", "name": "Shop"}}\n',
    );
    const result = await readSiteConfig(root);
    assert.deepEqual(result.diagnostics, []);
    assert.deepEqual(
      result.sites.map((s) => [s.slug, s.name, s.domains.live]),
      [['shop', 'Shop', 'shop.example']],
    );
  });

  it('says which named escape keeps a setting from being read, on its line', async () => {
    const root = make('DJANGO_MULTISITE_PLUS_SITES = {\n    "shop": {"id": 1, "name": "Shop \\N{EM DASH} Berlin"},\n}\n');
    const result = await readSiteConfig(root);
    assert.deepEqual(
      result.diagnostics.map((d) => [d.severity, d.line, d.message]),
      [
        [
          'warning',
          2,
          "DJANGO_MULTISITE_PLUS_SITES cannot be read without running the settings (\\N{EM DASH} names its character from Unicode's table, which only Python looks up).",
        ],
      ],
    );
  });

  it('fails clearly for a folder without manage.py', async () => {
    const root = temp();
    await assert.rejects(readSiteConfig(root), /has no manage.py/);
  });

  it('warns when manage.py names no existing settings module', async () => {
    const root = make('X = 1\n', 'print("no settings here")\n');
    const result = await readSiteConfig(root);
    assert.equal(result.sites.length, 0);
    assert.match(result.diagnostics[0].message, /DJANGO_SETTINGS_MODULE/);
  });
});
