/**
 * The real CLI, the real daemon over its real socket and real Django runserver
 * serving a copy of the demo project.
 */
import * as assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { groupAlive } from '../../daemon/base/processGroup';
import type { ProjectState, SitesResult, SwitchResult } from '../../protocol/protocol';
import { useFreePort } from '../support/useFreePort';
import { useSandbox } from '../support/useSandbox';
import { fetchText } from '../support/http';
import { daemonsOf } from '../support/processes';

interface StatusJson {
  daemon: { pid: number; port: number; version: string } | null;
  currentSite: { slug: string } | null;
  mode: string | null;
  server: ProjectState['server'] | null;
}

describe('switching sites with the CLI (real daemon, real runserver)', function () {
  const port = useFreePort(18_000);
  // One runserver restarted per switch (the local proxy has its own suite: localProxy.test.ts).
  const sandbox = useSandbox({ requires: ['django'], env: { MULTISITE_LOCAL_WARM_SITES: '0' } });

  it('lists the demo sites with the documented schema', async () => {
    const result = await sandbox().cliJson<SitesResult>(['sites']);
    assert.equal(result.project.root, sandbox().demo);
    assert.equal(result.project.name, path.basename(sandbox().demo));
    assert.deepEqual(result.diagnostics, []);
    assert.deepEqual(
      result.sites.map((s) => [s.id, s.slug, s.name, s.domains.live, s.domains.test]),
      [
        [1, 'alpha', 'Alpha News', 'alpha-news.example', 'alpha.demo.divio.me'],
        [2, 'beta', 'Beta Shop', 'beta-shop.example', 'beta.demo.divio.me'],
        [3, 'gamma', 'Gamma Blog', 'gamma-blog.example', 'gamma.demo.divio.me'],
      ],
    );
    const alpha = result.sites[0];
    assert.deepEqual(Object.keys(result).sort(), [
      'diagnostics',
      'forcedSiteId',
      'options',
      'project',
      'routing',
      'routingReason',
      'searched',
      'settings',
      'sites',
      'sitesSought',
      'sitesTableRead',
    ]);
    assert.deepEqual(Object.keys(alpha).sort(), [
      'aliases',
      'autoPopulated',
      'domains',
      'fieldSources',
      'id',
      'localhostUrl',
      'name',
      'portUrl',
      'slug',
      'sources',
    ]);
    assert.deepEqual(alpha.domains.local, ['alpha-news.example', 'www.alpha-news.example']);
    // The CLI is trusted: the demo's Sites table (created by its migration) is read too.
    assert.equal(result.sitesTableRead, true);
    assert.deepEqual(alpha.sources, ['demo/settings.py:18', 'Sites table']);
    assert.equal(alpha.fieldSources.test, 'demo/settings.py:37');
  });

  it('keeps its discovery file private and never prints the token', async () => {
    const info = await sandbox().cliJson<Record<string, unknown>>(['daemon', 'status']);
    assert.deepEqual(Object.keys(info).sort(), ['current', 'pid', 'port', 'protocol', 'version']);
    assert.equal(statSync(path.join(sandbox().home, 'daemon.json')).mode & 0o777, 0o600);
    assert.equal(statSync(sandbox().home).mode & 0o777, 0o700);
  });

  it('serves site 1, then 2, then 3, each answering with its own name', async () => {
    const pids: number[] = [];
    for (const [query, name, id] of [
      ['1', 'Alpha News', 1],
      ['beta', 'Beta Shop', 2],
      ['Gamma Blog', 'Gamma Blog', 3],
    ] as const) {
      const result = await sandbox().cliJson<SwitchResult>(['switch', query, '--port', String(port())]);
      assert.equal(result.site.id, id);
      assert.equal(result.mode, 'env');
      assert.equal(result.url, `http://127.0.0.1:${port()}/`);
      assert.ok(result.elapsedMs > 0);
      const page = await fetchText(result.url);
      assert.match(page.body, new RegExp(`<h1 id="site-name">${name}</h1>`));
      assert.match(page.body, /Chosen by the SITE_ID/);
      const status = await sandbox().cliJson<StatusJson>(['status']);
      assert.equal(status.currentSite?.slug, result.site.slug);
      assert.equal(status.mode, 'env');
      assert.equal(status.server?.phase, 'running');
      assert.equal(status.server?.url, result.url);
      const pid = status.server?.pid;
      assert.ok(pid, 'status reports the server pid');
      sandbox().startedGroups.add(pid);
      pids.push(pid);
    }
    // Each switch replaced the previous server: only the last one is alive.
    assert.deepEqual(pids.map(groupAlive), [false, false, true]);
  });

  it('restarts the current site in one request; a restart naming a site it cannot serve stops nothing', async () => {
    const before = await sandbox().cliJson<StatusJson>(['status']);
    const pid = before.server?.pid;
    assert.ok(pid);
    const refused = await sandbox().cli(['restart', 'delta']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^multisite-local: No site "delta" in /m);
    assert.equal(groupAlive(pid), true, 'the refused restart left the server running');
    const restarted = await sandbox().cliJson<SwitchResult & { port: number }>(['restart', '--port', String(port())]);
    assert.equal(restarted.site.slug, 'gamma', 'the current site, not the first');
    assert.equal(restarted.port, port());
    const after = await sandbox().cliJson<StatusJson>(['status']);
    const newPid = after.server?.pid;
    assert.ok(newPid && newPid !== pid, 'a new server');
    sandbox().startedGroups.add(newPid);
    assert.equal(groupAlive(pid), false, 'the old server was stopped');
    assert.match((await fetchText(restarted.url)).body, /<h1 id="site-name">Gamma Blog<\/h1>/);
  });

  it('stops the server and leaves no python process behind', async () => {
    const before = await sandbox().cliJson<StatusJson>(['status']);
    const pid = before.server?.pid;
    assert.ok(pid);
    assert.ok(sandbox().processesInDemo().length >= 1, 'runserver runs in the demo folder');
    const result = await sandbox().cli(['stop']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(groupAlive(pid), false);
    assert.deepEqual(sandbox().processesInDemo(), []);
    const after = await sandbox().cliJson<StatusJson>(['status']);
    assert.equal(after.server?.phase, 'stopped');
    await assert.rejects(fetchText(`http://127.0.0.1:${port()}/`));
  });

  it('answers an unknown site with one sentence naming the choices, exit 1', async () => {
    const result = await sandbox().cli(['switch', 'delta']);
    assert.equal(result.code, 1);
    assert.equal(
      result.stderr.trim().split('\n').pop(),
      `multisite-local: No site "delta" in ${path.basename(sandbox().demo)}; its sites are alpha (1), beta (2) and gamma (3).`,
    );
  });

  it('answers bad usage with exit 2', async () => {
    for (const args of [
      ['frobnicate'],
      ['switch'],
      ['sites', '--port', 'eighty'],
      ['daemon', 'restart'],
      ['sites', '--no-such-flag'],
      ['sites', '--warm-sites', '51'],
      ['sites', '--warm-sites', '-1'],
      ['open'],
    ]) {
      const result = await sandbox().cli(args);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.ok(result.stderr.trim().length > 0);
    }
  });

  it('refuses a folder that is not a Django project, exit 1', async () => {
    const result = await sandbox().cli(['sites', '--project', sandbox().home]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /has no manage\.py: open the folder of a Django project\./);
  });

  it('stops nothing, and starts no daemon, when no daemon runs (a script cleaning up after itself)', async () => {
    assert.equal((await sandbox().cli(['daemon', 'stop'])).code, 0);
    const result = await sandbox().cli(['stop']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Nothing to stop: the daemon is not running\.$/m);
    assert.deepEqual(daemonsOf(sandbox().home), [], 'no daemon was started to stop nothing');
  });
});
