/**
 * The merged domain config as readSiteConfig reads it from fixture projects
 * shaped like real Divio and plain Django ones: sources merged, domains as
 * written, international and invalid names, conflicts between sources.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { checkBlock } from '../../../../daemon/hosts/hostsBlock';
import { localNames } from '../../../../daemon/hosts/hostsMode';
import { checkDomain } from '../../../../daemon/sites/domainName';
import { djangoAnswer } from '../../../support/djangoAnswer';
import { readSiteConfig } from '../../../../daemon/sites/siteConfig';
import { FIXTURES } from '../../../support/demoProject';
import { useTempProjects } from '../../../support/tempProject';

const fixture = (name: string): string => path.join(FIXTURES, name);
const MANAGE = 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n';

describe('domain config', () => {
  const temp = useTempProjects('domains');

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
  });

  describe('domains as written (issue 14)', () => {
    const SETTINGS = [
      'DJANGO_MULTISITE_PLUS_SITES = {',
      '    "shop": {"id": 1, "real_domain": "shop.example/path", "aliases": ["www.shop.example", "a/b.example"]},',
      '    "dots": {"id": 2, "real_domain": "a%2eb.example", "aliases": ["123.456", "0x7f.1"]},',
      '    "shell": {"id": 3, "real_domain": "ok.example", "aliases": ["x;y.example", "`id`.example", "%HOME%.example"]},',
      '}',
      '',
    ].join('\n');

    it('reports each domain a URL parser would rewrite on its line, and uses none of them', async () => {
      const root = temp({ 'manage.py': MANAGE, 'proj/settings.py': SETTINGS });
      const result = await readSiteConfig(root);
      const settings = path.join(root, 'proj', 'settings.py');
      const reported = result.diagnostics.map((d) => [d.file, d.line, /^Domain "([^"]*)"/.exec(d.message)?.[1]]);
      assert.deepEqual(reported, [
        [settings, 2, 'shop.example/path'],
        [settings, 2, 'a/b.example'],
        [settings, 3, 'a%2eb.example'],
        [settings, 3, '123.456'],
        [settings, 3, '0x7f.1'],
        [settings, 4, 'x;y.example'],
        [settings, 4, '`id`.example'],
        [settings, 4, '%HOME%.example'],
      ]);
      for (const d of result.diagnostics) assert.match(d.message, /^Domain "[^"\n]*" of site "\w+" \(proj\/settings\.py:\d\) cannot be used: it [^\n]*\.$/);
      const [shop, dots, shell] = result.sites;
      // Nothing the config does not say: no "shop.example" cut from a path, no "a", no "127.0.0.1".
      // A real_domain that is no domain leaves the site without a live one (not the rewritten one in its place).
      assert.deepEqual(shop.domains, { live: null, test: 'shop.divio.me', local: ['www.shop.example'] });
      assert.deepEqual(shop.aliases, ['www.shop.example']);
      assert.deepEqual(dots.domains, { live: null, test: 'dots.divio.me', local: [] });
      assert.deepEqual(shell.domains.local, ['ok.example']);
      // Hosts mode can point every local name here: nothing in the block is refused.
      checkBlock({ id: '00000000', root, names: localNames(result) });
    });

    it('gives one sentence on one line for each shell or template character, from the settings or from compose', async () => {
      const bad = ['a;b', '$(id)', '`id`', 'a"b', "a'b", 'a\\b', '%USERPROFILE%', 'a&b', 'a\nb', 'a\r\nb'].map((d) => `${d}.example`);
      const aliases = bad.map((d) => JSON.stringify(d)).join(', ');
      const compose = `services:\n  web:\n    environment:\n      DJANGO_MULTISITE_PLUS_SITES: '{"web": {"id": 2, "aliases": [${aliases.replace(/'/g, "''")}]}}'\n`;
      const root = temp({
        'manage.py': MANAGE,
        'proj/settings.py': `DJANGO_MULTISITE_PLUS_SITES = {"shop": {"id": 1, "aliases": [${aliases}]}}\n`,
        'docker-compose.yml': compose,
      });
      const result = await readSiteConfig(root);
      const domains = result.diagnostics.filter((d) => d.message.startsWith('Domain '));
      assert.deepEqual(
        domains.map((d) => [path.basename(d.file ?? ''), d.line]),
        [...bad.map(() => ['settings.py', 1]), ...bad.map(() => ['docker-compose.yml', 4])],
      );
      domains.forEach((d, i) => {
        assert.match(d.message, /^Domain "[^\n\r]+" of site "(shop|web)" \([^)]+\) cannot be used: it [^\n\r]+\.$/, d.message);
        assert.ok(d.message.startsWith(`Domain ${JSON.stringify(bad[i % bad.length])}`), d.message);
      });
      assert.deepEqual(
        result.sites.map((s) => s.domains.local),
        [['shop.divio.me'], ['web.divio.me']],
      );
    });

    it('gates the environment, multisite.json and the Sites table the same way, a port allowed only in the table', async () => {
      const root = temp({
        'manage.py': MANAGE,
        'proj/settings.py': '',
        '.env-local': 'DJANGO_MULTISITE_PLUS_SITES={"env": {"id": 1, "real_domain": "0x7f.1"}}\n',
        'multisite.json': '{\n  "sites": {\n    "env": {"test": "qa.example/x", "local": ["env.example:8000", "env.localhost"]}\n  }\n}\n',
      });
      const django = djangoAnswer([
        { id: 1, domain: 'Env.example:8000', name: 'Env' },
        { id: 2, domain: 'a%2eb.example', name: 'Bad' },
      ]);
      const result = await readSiteConfig(root, { django });
      const where = result.diagnostics.map((d) => [d.file && path.basename(d.file), d.line, /^Domain "([^"]*)"/.exec(d.message)?.[1]]);
      assert.deepEqual(where, [
        ['.env-local', 1, '0x7f.1'],
        [null, null, 'a%2eb.example'],
        ['multisite.json', 3, 'qa.example/x'],
        ['multisite.json', 3, 'env.example:8000'],
      ]);
      assert.match(result.diagnostics[1].message, /\(Sites table\)/);
      const [env, bad] = result.sites;
      // multisite.json says the Test domain is "qa.example/x": not the rewritten one, and no domain either.
      assert.deepEqual(env.domains, { live: null, test: null, local: ['env.example', 'env.localhost'] });
      assert.deepEqual([bad.slug, bad.domains], ['a%2eb', { live: null, test: null, local: [] }]);
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
});
