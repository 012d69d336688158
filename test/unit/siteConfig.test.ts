import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readSiteConfig } from '../../daemon/sites/siteConfig';

function project(settings: string, manage = 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n'): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'msl-config-'));
  mkdirSync(path.join(root, 'proj'));
  writeFileSync(path.join(root, 'manage.py'), manage);
  writeFileSync(path.join(root, 'proj', 'settings.py'), settings);
  return root;
}

describe('readSiteConfig', () => {
  const roots: string[] = [];
  afterEach(() => roots.splice(0).forEach((r) => rmSync(r, { recursive: true, force: true })));
  const make = (settings: string, manage?: string): string => {
    const root = project(settings, manage);
    roots.push(root);
    return root;
  };

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

  it('fails clearly for a folder without manage.py', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'msl-empty-'));
    roots.push(root);
    await assert.rejects(readSiteConfig(root), /has no manage.py/);
  });

  it('warns when manage.py names no existing settings module', async () => {
    const root = make('X = 1\n', 'print("no settings here")\n');
    const result = await readSiteConfig(root);
    assert.equal(result.sites.length, 0);
    assert.match(result.diagnostics[0].message, /DJANGO_SETTINGS_MODULE/);
  });
});
