/**
 * Where the project is (issue 23, item 1), through the real CLI and daemon on
 * set-up copies of two fixtures:
 * - src-layout: the package under src/, installed into the fixture's .venv by
 *   a .pth as an editable install does; once reported as "manage.py does not
 *   name a settings module that exists". Its sites are read, each answers at
 *   its address, and a DJANGO_SETTINGS_MODULE the daemon inherited from the
 *   shell that started it does not leak into the project's runs.
 * - settings-variants: cookiecutter-django's config/settings/{base,local,
 *   staging,test,production}. manage.py's module is used and shown with the
 *   others; `--settings`, multisite.json's "settings" and the extension's
 *   setting (the open request it sends) choose another, which reaches the read
 *   of Django (another database, another site list), the static reading (a
 *   forced SITE_ID in test.py) and the server (the site only that database has
 *   answers).
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { OpenProject } from '../../protocol/protocol';
import type { ProjectState, Site, SitesResult, StatusResult } from '../../protocol/protocol';
import { FIXTURES } from '../support/demoProject';
import { requestVia } from '../support/http';
import { sleep } from '../support/processes';
import { cleanEnv } from '../support/standInServer';
import { useFreePort } from '../support/useFreePort';
import { useSandbox } from '../support/useSandbox';

interface StatusJson extends StatusResult {
  project: ProjectState | null;
}

const shownSite = (body: string): string | undefined => /<h1 id="site-name">([^<]*)<\/h1>/.exec(body)?.[1];
const hostOf = (site: Site): string => new URL(site.localhostUrl as string).host;
const names = (result: SitesResult): (string | null)[] => result.sites.map((s) => s.name);

/** A sandbox on a copy of `fixture`, set up by its own setup.sh. */
function fixtureSandbox(fixture: string, env: NodeJS.ProcessEnv = {}) {
  return useSandbox({
    requires: ['django'],
    project: { source: path.join(FIXTURES, fixture), setup: false },
    env: { PYTHONDONTWRITEBYTECODE: '1', ...env },
    prepare: (created) => void execFileSync('sh', [path.join(created.demo, 'setup.sh'), created.demo], { env: cleanEnv(), stdio: 'pipe' }),
    hookTimeoutMs: 180_000,
  });
}

describe('src-layout: a package under src/ installed in the project’s .venv, through the real daemon', function () {
  this.timeout(120_000);
  const port = useFreePort(28_400);
  // The daemon is started by the CLI from a shell of another project: its environment must not decide this one's settings.
  const sandbox = fixtureSandbox('src-layout', { DJANGO_SETTINGS_MODULE: 'someone_else.settings' });

  it('reads the settings under src/ and the Sites table, and each site answers at its address', async () => {
    const listed = await sandbox().cliJson<SitesResult>(['sites', '--port', String(port())]);
    assert.deepEqual(listed.settings, {
      module: 'harbourpress.settings.dev',
      from: 'manage.py:8',
      file: path.join(sandbox().demo, 'src', 'harbourpress', 'settings', 'dev.py'),
      others: ['harbourpress.settings.base', 'harbourpress.settings.test'],
    });
    assert.equal(listed.sitesTableRead, true, JSON.stringify(listed.diagnostics));
    assert.deepEqual(names(listed), ['Harbour Gazette', 'Quayside Times']);
    assert.deepEqual(
      listed.diagnostics.filter((d) => /settings module|could not be asked/i.test(d.message)),
      [],
    );
    const switched = await sandbox().cliJson<{ site: Site }>(['switch', 'quayside-times', '--port', String(port())]);
    assert.equal(switched.site.name, 'Quayside Times');
    const served = await sandbox().cliJson<SitesResult>(['sites']);
    for (const site of served.sites) {
      const answer = await requestVia(port(), hostOf(site));
      assert.equal(answer.status, 200, `${site.slug} at ${site.localhostUrl}: ${answer.body.slice(0, 300)}`);
      assert.equal(shownSite(answer.body), site.name, site.slug);
    }
    const status = await sandbox().cli(['status']);
    assert.match(status.stdout, /Settings module: harbourpress\.settings\.dev \(from manage\.py:8\)/);
    await sandbox().cli(['stop']);
  });
});

describe('settings-variants: several settings modules, one chosen, through the real daemon', function () {
  this.timeout(120_000);
  const port = useFreePort(28_450);
  const sandbox = fixtureSandbox('settings-variants');
  const status = (): Promise<StatusJson> => sandbox().cliJson<StatusJson>(['status']);
  const others = ['config.settings.base', 'config.settings.production', 'config.settings.staging', 'config.settings.test'];

  it('uses the module manage.py names and shows the others', async () => {
    const listed = await sandbox().cliJson<SitesResult>(['sites']);
    assert.deepEqual(listed.settings, {
      module: 'config.settings.local',
      from: 'manage.py:7',
      file: path.join(sandbox().demo, 'config', 'settings', 'local.py'),
      others,
    });
    assert.deepEqual(names(listed), ['Shipyard', 'Slipway News']);
    assert.equal(listed.forcedSiteId, null);
    const text = await sandbox().cli(['sites']);
    assert.match(text.stdout, /Settings module: config\.settings\.local \(from manage\.py:7\); others: config\.settings\.base, /);
  });

  it('--settings chooses another module: Django reads its database, its server serves it, and the choice stays', async () => {
    const staging = await sandbox().cliJson<SitesResult>(['sites', '--settings', 'config.settings.staging']);
    assert.equal(staging.settings.module, 'config.settings.staging');
    assert.equal(staging.settings.from, '--settings');
    assert.deepEqual(names(staging), ['Shipyard', 'Slipway News', 'Drydock Weekly']);
    // Only the staging database has Drydock Weekly: it answers only if the server runs with that module.
    await sandbox().cliJson(['switch', 'drydock', '--port', String(port())]);
    const served = await sandbox().cliJson<SitesResult>(['sites']);
    assert.equal(served.settings.module, 'config.settings.staging', 'a later command without --settings keeps the choice');
    const drydock = served.sites.find((s) => s.slug === 'drydock') as Site;
    const answer = await requestVia(port(), hostOf(drydock));
    assert.equal(answer.status, 200, answer.body.slice(0, 300));
    assert.equal(shownSite(answer.body), 'Drydock Weekly');
    await sandbox().cli(['stop']);
  });

  it('serves the current site again with the newly chosen module', async () => {
    // Its own server, or the one for every site.
    const servesSlipway = (b: { site: string | null }): boolean => b.site === 'slipway' || b.site === null;
    await sandbox().cliJson(['switch', 'slipway', '--settings', '', '--port', String(port())]);
    const before = await status();
    const first = before.project?.backends.find(servesSlipway);
    assert.equal(first?.phase, 'running');
    assert.equal(before.project?.settings?.module, 'config.settings.local');
    await sandbox().cliJson(['sites', '--settings', 'config.settings.staging']);
    let after = await status();
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(200)) {
      after = await status();
      for (const backend of after.project?.backends ?? []) if (backend.pid) sandbox().startedGroups.add(backend.pid);
      const again = after.project?.backends.find(servesSlipway);
      if (again?.phase === 'running' && again.pid !== first?.pid) break;
    }
    const again = after.project?.backends.find(servesSlipway);
    assert.equal(again?.phase, 'running');
    assert.notEqual(again?.pid, first?.pid, 'a new runserver, started with the staging settings');
    assert.equal(after.project?.settings?.module, 'config.settings.staging');
    const slipway = (await sandbox().cliJson<SitesResult>(['sites'])).sites.find((s) => s.slug === 'slipway') as Site;
    assert.equal(shownSite((await requestVia(port(), hostOf(slipway))).body), 'Slipway News');
    await sandbox().cli(['stop']);
  });

  it('reads the chosen module statically: test.py forces SITE_ID', async () => {
    // The test settings' database holds no site: `sites` says so and exits 3 (nothing found), its JSON whole.
    const listed = await sandbox().cli(['sites', '--settings', 'config.settings.test', '--json']);
    assert.equal(listed.code, 3, listed.stderr);
    const test = JSON.parse(listed.stdout) as SitesResult;
    assert.deepEqual(test.sites, []);
    assert.deepEqual(test.forcedSiteId, { value: 1, file: path.join(sandbox().demo, 'config', 'settings', 'test.py'), line: 4 });
    const back = await sandbox().cliJson<SitesResult>(['sites', '--settings', '']);
    assert.equal(back.settings.module, 'config.settings.local');
    assert.equal(back.forcedSiteId, null);
  });

  it('multisite.json’s "settings" chooses one for the project, and the extension’s setting one for a person', async () => {
    const file = path.join(sandbox().demo, 'multisite.json');
    writeFileSync(file, '{\n  "settings": "config.settings.staging"\n}\n');
    try {
      const fromFile = await sandbox().cliJson<SitesResult>(['sites', '--refresh']);
      assert.equal(fromFile.settings.from, 'multisite.json:2');
      assert.deepEqual(names(fromFile), ['Shipyard', 'Slipway News', 'Drydock Weekly']);
      // The open the extension sends with multisiteLocal.settingsModule set.
      const link = await sandbox().connect();
      try {
        const chosen = await link.connection.sendRequest(OpenProject.type, {
          root: sandbox().demo,
          settingsModule: 'config.settings.test',
          settingsModuleFrom: 'the multisiteLocal.settingsModule setting',
        });
        assert.equal(chosen.settings.module, 'config.settings.test');
        assert.equal(chosen.settings.from, 'the multisiteLocal.settingsModule setting');
        assert.equal(chosen.forcedSiteId?.file, path.join(sandbox().demo, 'config', 'settings', 'test.py'));
        const cleared = await link.connection.sendRequest(OpenProject.type, { root: sandbox().demo, settingsModule: null });
        assert.equal(cleared.settings.from, 'multisite.json:2');
        await assert.rejects(
          link.connection.sendRequest(OpenProject.type, { root: sandbox().demo, settingsModule: 'config/settings/test.py', settingsModuleFrom: 'the setting' }),
          /The settings module "config\/settings\/test\.py" \(the setting\) is not a dotted Python module name/,
        );
      } finally {
        link.dispose();
      }
    } finally {
      rmSync(file, { force: true });
    }
  });

  it('where manage.py computes the module, runs let it decide, and the module Django ran is the one read', async () => {
    const manage = path.join(sandbox().demo, 'manage.py');
    const original = readFileSync(manage, 'utf8');
    // A shape real projects use: the environment picks the module; only pytest's configuration names one.
    writeFileSync(
      manage,
      original.replace(
        'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")',
        'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings." + os.environ.get("SHIPYARD_ENV", "local"))',
      ),
    );
    try {
      const listed = await sandbox().cliJson<SitesResult>(['sites', '--settings', '', '--refresh']);
      // pytest's --ds=config.settings.test (in-memory database, SITE_ID forced) would list no site and force SITE_ID 1.
      assert.deepEqual(listed.settings, {
        module: 'config.settings.local',
        from: 'manage.py, as Django ran it',
        file: path.join(sandbox().demo, 'config', 'settings', 'local.py'),
        others,
      });
      assert.deepEqual(names(listed), ['Shipyard', 'Slipway News']);
      assert.equal(listed.forcedSiteId, null);
    } finally {
      writeFileSync(manage, original);
    }
  });

  it('refuses a --settings that is no module name, in one sentence, exit 2', async () => {
    const bad = await sandbox().cli(['sites', '--settings', 'config/settings/local.py']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--settings must be a dotted Python module such as mysite\.settings\.local, not "config\/settings\/local\.py"\./);
  });
});
