/** The domain config readers on fixture projects shaped like real Divio and plain Django ones. */
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkDomain } from '../../daemon/sites/domainName';
import { parseDotenv, readEnvSources } from '../../daemon/sites/envSources';
import type { EnvRead } from '../../daemon/sites/envSources';
import { readMultisiteJson } from '../../daemon/sites/multisiteJson';
import { readSettings } from '../../daemon/sites/settingsModule';
import { readSiteConfig } from '../../daemon/sites/siteConfig';

const FIXTURES = path.resolve(__dirname, '..', 'fixtures');
const fixture = (name: string): string => path.join(FIXTURES, name);

function tempProject(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'msl-domains-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), content);
  }
  return root;
}
const MANAGE = 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n';

describe('domain config', () => {
  const temps: string[] = [];
  const temp = (files: Record<string, string>): string => {
    const root = tempProject(files);
    temps.push(root);
    return root;
  };
  after(() => temps.forEach((t) => rmSync(t, { recursive: true, force: true })));

  describe('a Divio project configured through .env-local and docker-compose.yml', () => {
    it('reads the sites JSON, the rewrite format and the flags from the environment', async () => {
      const result = await readSiteConfig(fixture('divio-env'));
      assert.deepEqual(result.diagnostics, []);
      const [news, shop] = result.sites;
      assert.deepEqual([news.slug, news.id, news.name], ['news', 1, 'News']);
      assert.deepEqual(news.domains, {
        live: 'news.example.com',
        test: 'news.stage.example.org',
        // REWRITE_DOMAINS=true in compose: the Sites table holds the rewritten domain.
        local: ['news.stage.example.org', 'news.example.com', 'www.news.example.com'],
      });
      assert.equal(news.fieldSources.test, '.env-local:3');
      assert.equal(news.fieldSources.live, '.env-local:2');
      // A blank real_domain means the rewritten one is live too.
      assert.deepEqual(shop.domains.live, 'shop.stage.example.org');
      assert.ok(
        result.sites.every((s) => s.autoPopulated),
        'AUTO_POPULATE_SITES="True" marks every site',
      );
    });

    it('finds the SITE_ID the web service forces, and ignores other services', async () => {
      const result = await readSiteConfig(fixture('divio-env'));
      assert.deepEqual(result.forcedSiteId, { value: 2, file: path.join(fixture('divio-env'), 'docker-compose.yml'), line: 11 });
    });

    it('reads compose environment in list form and env_file lists, reporting missing files', async () => {
      const root = temp({
        'docker-compose.yml':
          'services:\n  web:\n    env_file:\n      - .env-docker\n      - path: .env-optional\n        required: false\n      - .env-missing\n    environment:\n      - SITE_ID=3\n      - "EMPTY="\n',
        '.env-docker': 'A=1\n',
      });
      const env = await readEnvSources(root);
      assert.equal(env.vars.get('A')?.value, '1');
      assert.deepEqual(env.vars.get('SITE_ID'), { value: '3', file: path.join(root, 'docker-compose.yml'), line: 9 });
      assert.equal(env.vars.get('EMPTY')?.value, '');
      assert.deepEqual(
        env.problems.map((p) => [p.line, p.message]),
        [[7, 'env_file .env-missing named in docker-compose.yml does not exist']],
      );
    });
  });

  describe('a settings package that computes its sites at import time', () => {
    it('reports the computed value on its line and still loads the other sources', async () => {
      const result = await readSiteConfig(fixture('computed-settings'));
      const base = path.join(fixture('computed-settings'), 'proj', 'settings', 'base.py');
      assert.deepEqual(
        result.diagnostics.map((d) => [d.severity, d.file, d.line]),
        [['warning', base, 11]],
      );
      assert.match(result.diagnostics[0].message, /DJANGO_MULTISITE_PLUS_SITES cannot be read without running the settings \("build_sites" is computed/);
      assert.deepEqual(
        result.sites.map((s) => [s.slug, s.domains.live, s.domains.test]),
        [['one', 'one.example', 'one.local.example']],
      );
      // local.py, star-imported after base.py, overrides the format.
      assert.equal(result.sites[0].fieldSources.test, 'proj/settings/local.py:1');
    });

    it('follows relative and absolute star imports, later ones winning', async () => {
      const root = temp({
        'manage.py': MANAGE,
        'proj/settings/__init__.py': 'from proj.settings.a import *\nfrom .b import *\nfrom django.conf.global_settings import *\n',
        'proj/settings/a.py': 'X = 1\nY = "a"\n',
        'proj/settings/b.py': 'Y = "b"\n',
      });
      const read = await readSettings(root, ['X', 'Y']);
      const values = Object.fromEntries([...read.values].map(([k, v]) => [k, v.assignment.result.ok ? v.assignment.result.value : null]));
      assert.deepEqual(values, { X: 1, Y: 'b' });
      assert.equal(read.file, path.join(root, 'proj', 'settings', '__init__.py'));
    });
  });

  describe('international and invalid domain names', () => {
    it('converts IDNs to punycode for hosts mode and reports invalid names where they are declared', async () => {
      const result = await readSiteConfig(fixture('unicode-domains'));
      const [buecher, cafe] = result.sites;
      assert.equal(buecher.domains.live, 'bücher.example');
      assert.deepEqual(buecher.domains.local, ['xn--bcher-kva.example', 'www.xn--bcher-kva.example']);
      assert.deepEqual(cafe.domains.local, ['xn--caf-dma.example', 'xn--caf-dma.local']);
      const settings = path.join(fixture('unicode-domains'), 'uni', 'settings.py');
      const invalid = result.diagnostics.filter((d) => d.file === settings);
      assert.deepEqual(
        invalid.map((d) => d.line),
        [2, 3],
        'each on its own site line',
      );
      assert.match(invalid[0].message, /"bad domain\.example" of site "buecher" .* it contains whitespace/);
      assert.match(invalid[1].message, /"\$\(touch pwned\)\.example" of site "cafe"/);
      for (const site of result.sites) for (const domain of site.domains.local) assert.equal(checkDomain(domain).ok, true);
    });

    it('takes Test domains, extra local domains and the port from multisite.json, reporting what it does not know', async () => {
      const result = await readSiteConfig(fixture('unicode-domains'));
      const cafe = result.sites[1];
      assert.equal(cafe.domains.test, 'cafe.test.example');
      assert.equal(cafe.fieldSources.test, 'multisite.json:3');
      assert.equal(result.options.port, 8123);
      const file = path.join(fixture('unicode-domains'), 'multisite.json');
      assert.deepEqual(
        result.diagnostics.filter((d) => d.file === file).map((d) => [d.line, d.message]),
        [
          [7, 'unknown key "colour" in multisite.json.'],
          [4, 'multisite.json configures site "ghost", which no other source declares.'],
        ],
      );
    });

    it('checks names the way a hosts file needs them', () => {
      assert.deepEqual(checkDomain('Straße.DE'), { ok: true, ascii: 'xn--strae-oqa.de' });
      for (const bad of ['a b.example', 'a\nb.example', 'x#y.example', '-a.example', 'a..b', '127.0.0.1', 'a;rm.example', '']) {
        assert.equal(checkDomain(bad).ok, false, JSON.stringify(bad));
      }
    });
  });

  describe('conflicts between sources', () => {
    it('says which files disagree about a site, keeping the settings value', async () => {
      const root = temp({
        'manage.py': MANAGE,
        'proj/settings.py':
          'DJANGO_MULTISITE_PLUS_SITES = {\n    "a": {"id": 1, "real_domain": "a.example", "name": "A"},\n    "b": {"id": 1, "real_domain": "b.example", "name": "B"},\n}\n',
        '.env': 'DJANGO_MULTISITE_PLUS_SITES={"a": {"id": 7, "real_domain": "other.example"}}\n',
      });
      const result = await readSiteConfig(root);
      assert.deepEqual(result.sites.find((s) => s.slug === 'a')?.id, 1);
      const messages = result.diagnostics.map((d) => d.message);
      assert.ok(messages.includes('Site "a" has id 1 in proj/settings.py:2 but id 7 in .env:1.'), messages.join('\n'));
      assert.ok(messages.includes('Site "a" has domain a.example in proj/settings.py:2 but other.example in .env:1.'), messages.join('\n'));
      assert.ok(messages.includes('Sites "a" (proj/settings.py:2) and "b" (proj/settings.py:3) both have id 1.'), messages.join('\n'));
    });

    it('reports environment JSON that does not parse, on its line', async () => {
      const root = temp({ 'manage.py': MANAGE, 'proj/settings.py': '', '.env-local': '# x\nDJANGO_MULTISITE_PLUS_SITES={"a": \n' });
      const result = await readSiteConfig(root);
      assert.equal(result.diagnostics[0].severity, 'error');
      assert.equal(result.diagnostics[0].line, 2);
      assert.match(result.diagnostics[0].message, /DJANGO_MULTISITE_PLUS_SITES in \.env-local:2 is not valid JSON/);
    });
  });

  describe('file formats', () => {
    it('parses dotenv lines with export, quotes, escapes and comments', () => {
      const read: EnvRead = { vars: new Map(), files: [], problems: [] };
      parseDotenv('\uFEFF# c\nexport A="x\\ny" \nB=\'lit\\n\'\nC=plain # note\nD=\nnot a line\n', '/p/.env', read);
      assert.deepEqual(Object.fromEntries([...read.vars].map(([k, v]) => [k, v.value])), { A: 'x\ny', B: 'lit\\n', C: 'plain', D: '' });
      assert.deepEqual(
        read.problems.map((p) => p.line),
        [6],
      );
    });

    it('reports multisite.json syntax and type errors with lines', async () => {
      const root = temp({ 'multisite.json': '{\n  "port": "eighty",\n  "runner": "local",\n  "sites": { "a": { "local": "one" } },\n}\n' });
      const file = await readMultisiteJson(root);
      assert.ok(file);
      assert.equal(file.runner, 'local');
      assert.deepEqual(file.problems, [
        { line: 2, message: '"port" in multisite.json must be a TCP port number (1-65535)' },
        { line: 4, message: '"local" of site "a" in multisite.json must be a list of domains' },
      ]);
      const broken = temp({ 'multisite.json': '{\n  "port": 80,\n  "sites" {}\n}\n' });
      assert.match((await readMultisiteJson(broken))?.problems[0].message ?? '', /not valid JSON/);
    });
  });
});
