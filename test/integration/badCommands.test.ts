/**
 * Bad input (issue 14), beside the catalogue of broken projects (badInput.test.ts): a folder without
 * manage.py, a --project folder or a site named with shell payloads, no interpreter that imports
 * Django, paths with spaces, quotes and Unicode (served, not refused) and 5,000 sites. Each through
 * the real CLI and daemon: one sentence naming what is wrong, nothing changed, and the marker file
 * every payload tries to create never appears (test/support/badInputWorld.ts).
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { DaemonErrorCode } from '../../protocol/protocol';
import type { CliResult } from '../support/cli';
import { DaemonSandbox } from '../support/daemonSandbox';
import { DEMO_SOURCE } from '../support/demoProject';
import { fetchText } from '../support/http';
import { tempFolder } from '../support/tempProject';
import { assertOneSentence, escaped, HOSTS_BEFORE, MARKER_VARIABLE, SITES_LITERAL, snapshot, editSettings, useBadInputWorld } from '../support/badInputWorld';

describe('bad input: commands, folders and sites a person gets wrong (issue 14)', function () {
  const { port, markerDir, marker, made, count, assertNoMarker, project, hostsFile, cli, withFiles, assertRefused, sharedProject } = useBadInputWorld();

  // --- Everything else a person can get wrong ---------------------------------------------------------

  it('a folder without manage.py: every command says so in one sentence', async () => {
    const root = path.join(tempFolder('bad'), 'empty');
    made.push(path.dirname(root));
    mkdirSync(root);
    const hosts = hostsFile();
    count();
    for (const args of [['sites'], ['switch', 'alpha'], ['hosts', 'apply'], ['mode', 'hosts'], ['doctor']]) {
      const says = /^\/.*\/empty has no manage\.py: open the folder of a Django project\.$/;
      await assertRefused(root, hosts, { args, says, code: DaemonErrorCode.ProjectNotFound, json: args[0] === 'sites' });
    }
  });

  it('a --project folder that does not exist, named with shell payloads and a line break', async () => {
    const hosts = hostsFile();
    for (const name of [`$(touch ${marker})`, `\`touch ${marker}\`;touch ${marker}`, 'two\nlines']) {
      count();
      const missing = path.join(markerDir, 'missing', name);
      for (const args of [['sites'], ['switch', 'alpha'], ['hosts', 'apply']])
        await assertRefused(
          markerDir,
          hosts,
          { args, says: /^The project folder .* does not exist\.$/, code: DaemonErrorCode.ProjectNotFound, json: args[0] === 'sites' },
          missing,
        );
    }
  });

  it('a site asked for with shell payloads, a line break or nothing at all', async () => {
    const root = await sharedProject(() => undefined);
    const hosts = hostsFile();
    const queries = [`$(touch ${marker})`, `\`touch ${marker}\``, `alpha;touch ${marker}`, `%COMSPEC%&touch ${marker}`, 'alpha\nbeta', ' '];
    for (const [i, query] of queries.entries()) {
      count();
      const says = new RegExp(`^${escaped(`No site ${JSON.stringify(query.trim())} in proj; its sites are alpha (1), beta (2) and gamma (3).`)}$`);
      const code = DaemonErrorCode.SiteNotFound;
      await assertRefused(root, hosts, { args: ['switch', query], says, code, json: i === 0 });
      if (i === 0) await assertRefused(root, hosts, { args: ['open', query], says, code, json: false });
    }
  });

  it('no interpreter that can import Django: switch and mode hosts refuse in one sentence', async function () {
    // A daemon whose PATH holds no python, and a project without a venv.
    const bin = tempFolder('nopython');
    made.push(bin);
    const bare = new DaemonSandbox({ PATH: bin, VIRTUAL_ENV: '', [MARKER_VARIABLE]: marker }, { source: DEMO_SOURCE, setup: false });
    try {
      count();
      const root = bare.demo;
      const hosts = hostsFile();
      const cliHere = (args: string[]): Promise<CliResult> => bare.cli(args, root);
      const sites = await cliHere(['sites']);
      assert.equal(sites.code, 0, sites.stderr);
      const lines = sites.stderr.split('\n').filter(Boolean);
      assert.equal(lines.length, 1, sites.stderr);
      assert.match(lines[0], /^manage\.py: warning: Django could not be asked for the project's sites \(No Python interpreter for .* can import Django/);
      assertOneSentence(lines[0].replace(/^manage\.py: warning: /, ''), 'sites');
      for (const args of [
        ['switch', 'alpha'],
        ['mode', 'hosts'],
      ]) {
        const before = snapshot(root);
        const text = await cliHere([...args, '--hosts-file', hosts]);
        assert.equal(text.code, 1, text.stderr);
        const sentence = text.stderr.replace(/^multisite-local: /, '').replace(/\n$/, '');
        assertOneSentence(sentence, args.join(' '));
        assert.match(
          sentence,
          /No Python interpreter for .* can import Django \(tried .*\.venv\/bin\/python \(\.venv: not found\).*python3 \(PATH: not found\)/,
        );
        const json = await cliHere([...args, '--hosts-file', hosts, '--json']);
        assert.equal(json.code, 1);
        assert.equal(json.stderr, '');
        assert.equal((JSON.parse(json.stdout) as { error: { message: string } }).error.message, sentence);
        assert.deepEqual(snapshot(root), before);
        assert.equal(readFileSync(hosts, 'utf8'), HOSTS_BEFORE);
      }
      const doctor = await cliHere(['doctor']);
      assert.equal(doctor.code, 1);
      assert.match(doctor.stdout, /^error +interpreter +- +No Python interpreter can import Django/m);
    } finally {
      await bare.dispose();
    }
  });

  it('a project folder and hosts file named with spaces, quotes, Unicode and shell payloads: served, not refused', async () => {
    count();
    const name = `it's a "quoted" prøject ünï $(touch $${MARKER_VARIABLE}) \`touch $${MARKER_VARIABLE}\` ;&`;
    const root = project(name, () => undefined);
    const dir = path.join(tempFolder('hosts'), `h ō's "$(touch $${MARKER_VARIABLE})"`);
    made.push(path.dirname(dir));
    mkdirSync(dir);
    const hosts = path.join(dir, 'hosts file');
    writeFileSync(hosts, HOSTS_BEFORE);
    const run = async (args: string[]): Promise<CliResult> => {
      const result = await cli(root, [...args, '--hosts-file', hosts]);
      assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
      assertNoMarker(args.join(' '));
      return result;
    };
    const sites = await run(['sites']);
    assert.equal(sites.stderr, '');
    assert.match(sites.stdout, /^2 +beta +Beta Shop +beta-shop\.example/m);
    const served = JSON.parse((await run(['switch', 'beta', '--port', String(port()), '--json'])).stdout) as { url: string };
    assert.match((await fetchText(served.url)).body, /<title>Beta Shop<\/title>/);
    await run(['hosts', 'apply']);
    assert.match(readFileSync(hosts, 'utf8'), /^127\.0\.0\.1\tbeta-shop\.example$/m);
    await run(['hosts', 'remove']);
    assert.equal(readFileSync(hosts, 'utf8'), HOSTS_BEFORE);
    await run(['stop']);
  });

  it('5,000 sites: listed, switched, refused in one short sentence, and written to the hosts file and back', async function () {
    this.timeout(300_000);
    count();
    const demoDomains = ['alpha-news.example', 'beta-shop.example', 'gamma-blog.example']; // the Sites table's rows 1-3
    const domain = (i: number): string => demoDomains[i - 1] ?? `site${i}.example`;
    const ids = Array.from({ length: 5000 }, (_, i) => i + 1);
    const root = project('big', (dir) => {
      const sites = ids.map((i) => `    "s${i}": {"id": ${i}, "real_domain": "${domain(i)}", "name": "Site ${i}", "aliases": ["www.${domain(i)}"]},\n`);
      editSettings(dir, (text) => text.replace(SITES_LITERAL, `DJANGO_MULTISITE_PLUS_SITES = {\n${sites.join('')}}\n`));
      const local = ids.map((i) => `    "s${i}": {"local": ["s${i}.local.example"]}`);
      writeFileSync(path.join(dir, 'multisite.json'), `{\n  "sites": {\n${local.join(',\n')}\n  }\n}\n`);
    });
    const hosts = hostsFile();
    const listed = await cli(root, ['sites', '--project', root]);
    assert.equal(listed.code, 0, listed.stderr);
    assert.equal(listed.stderr, '');
    const lines = listed.stdout.trim().split('\n');
    assert.equal(lines.length, 5002, 'the header, a line per site, and the settings module');
    assert.match(lines[5001], /^Settings module: /);
    const switched = await cli(root, ['switch', 's4321', '--project', root, '--port', String(port())]);
    assert.equal(switched.code, 0, switched.stderr);
    assert.match(switched.stdout, /^Serving Site 4321 \(SITE_ID=4321\)/);
    await assertRefused(root, hosts, {
      args: ['switch', 'nosuch'],
      says: /^No site "nosuch" in big; its sites are s1 \(1\), s2 \(2\), s3 \(3\) and 4997 more\.$/,
      code: DaemonErrorCode.SiteNotFound,
    });
    const applied = await cli(root, withFiles(root, hosts, ['hosts', 'apply']));
    assert.equal(applied.code, 0, applied.stderr);
    const text = readFileSync(hosts, 'utf8');
    for (const name of ['site4999.example', 'www.site4999.example', 's4999.local.example']) assert.ok(text.includes(`127.0.0.1\t${name}\r\n`), name);
    const removed = await cli(root, withFiles(root, hosts, ['hosts', 'remove']));
    assert.equal(removed.code, 0, removed.stderr);
    assert.equal(readFileSync(hosts, 'utf8'), HOSTS_BEFORE);
    assert.equal((await cli(root, ['stop', '--project', root])).code, 0);
  });

  it('no payload ever reached a shell', () => {
    assertNoMarker('the whole catalogue');
    assert.deepEqual(readdirSync(markerDir), []);
  });
});
