/**
 * Populate Sites (issue 22) through the real CLI and daemon, on a copy of the
 * multisite-plus-divio fixture set up as a fresh checkout is: its venv and
 * `migrate`, but not the deployment's `multisite_plus_populate_sites` and
 * `multisite_plus_rewrite_domains` (django-multisite-plus 0.7.2 writes its sites
 * only by those). The product says the table is empty and names the command;
 * `populate` runs both as the deployment does, journaled, each line in the
 * project's log, and reads the sites again, so the next `sites` lists the three
 * newspapers with the domains Django now has. A populate asked while another
 * write of the project's code runs (migrate, populate) is refused in one
 * sentence: the copy's settings hold a command while a file says so, so the
 * second request meets the first still running, every time.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { DaemonErrorCode, OpenProject, PopulateSites, ServerLog, SitesChanged } from '../../protocol/protocol';
import type { DoctorReport, SitesResult } from '../../protocol/protocol';
import { FIXTURES } from '../support/demoProject';
import { waitFor } from '../support/processes';
import { FRAMEWORKS, cleanEnv } from '../support/standInServer';
import { useSandbox } from '../support/useSandbox';

/** Appended to the copy's settings.py: `manage.py <command>` waits while `hold-<command>` exists, once it wrote `held-<command>`. */
const GATE = `
# populateSites.test.ts: hold a manage.py command here while the test says so.
import os as _os, sys as _sys, time as _time
_gate = _os.path.join(_os.path.dirname(_os.path.abspath(__file__)), "%s-" + (_sys.argv[1] if len(_sys.argv) > 1 else ""))
if _os.path.exists(_gate % "hold"):
    open(_gate % "held", "w").close()
    while _os.path.exists(_gate % "hold"):
        _time.sleep(0.05)
`;

const POPULATE = 'multisite_plus_populate_sites';

/** The slugs of the sites whose `<slug>.divio.me` domain Django's Sites table holds (what the populate commands write). */
const populated = (result: SitesResult): string[] => result.sites.filter((s) => s.fieldSources[`${s.slug}.divio.me`] === 'Sites table').map((s) => s.slug);
const emptyTable = (result: SitesResult) => result.diagnostics.filter((d) => d.code === 'multisite-plus-empty');

describe('Populate Sites: django-multisite-plus 0.7.2 on a fresh database, through the real CLI and daemon', function () {
  this.timeout(120_000);
  const gate = (what: 'hold' | 'held', command: string): string => path.join(sandbox().demo, `${what}-${command}`);
  const release = (command: string): void => {
    rmSync(gate('hold', command), { force: true });
    rmSync(gate('held', command), { force: true });
  };
  /** Holds `manage.py command` in the settings until released; resolves once a run of it is held. */
  const hold = (command: string) => {
    writeFileSync(gate('hold', command), '');
    return { held: () => waitFor(`manage.py ${command} held in the settings`, () => existsSync(gate('held', command)), 60_000) };
  };
  const sandbox = useSandbox({
    requires: ['django'],
    project: { source: path.join(FIXTURES, 'multisite-plus-divio'), setup: false },
    env: { PYTHONDONTWRITEBYTECODE: '1' },
    // setup.sh without its last two commands: the venv with the stand-ins, and migrate.
    prepare: ({ demo }) => {
      const env = cleanEnv();
      execFileSync('sh', [path.join(FRAMEWORKS, 'install.sh'), demo], { env, stdio: 'pipe' });
      execFileSync(path.join(demo, '.venv', 'bin', 'python'), ['manage.py', 'migrate', '--noinput', '-v', '0'], { cwd: demo, env, stdio: 'pipe' });
      appendFileSync(path.join(demo, 'settings.py'), GATE);
    },
    // A test that failed while a command was held lets it end, so the daemon's stop leaves nothing waiting.
    beforeDispose: () => Promise.resolve(['migrate', POPULATE].forEach(release)),
    hookTimeoutMs: 180_000,
  });

  it('says the table is empty and names the command, in `sites` and in the doctor (with Populate Sites as its fix)', async () => {
    const listed = await sandbox().cliJson<SitesResult>(['sites']);
    const [empty, ...more] = emptyTable(listed);
    assert.deepEqual(more, []);
    assert.match(empty?.message ?? '', /^django-multisite-plus's table of sites is empty: Populate Sites \(`multisite-local populate`\)/);
    assert.match(empty.message, /`manage\.py multisite_plus_populate_sites`/);
    assert.equal(empty.file, path.join(sandbox().demo, 'settings.py'));
    // The settings declare the three newspapers; Django has written none of them yet.
    assert.deepEqual(
      listed.sites.map((s) => s.slug),
      ['harbour', 'orchard', 'quarry'],
    );
    assert.deepEqual(populated(listed), []);
    assert.ok(
      listed.sites.every((s) => !s.autoPopulated),
      '0.7.2 never writes the sites at start: no lock',
    );
    const doctor = await sandbox().cli(['doctor', '--json']);
    const finding = (JSON.parse(doctor.stdout) as DoctorReport).findings.find((f) => f.code === 'multisite-plus-empty');
    assert.deepEqual(finding?.fix, { kind: 'populateSites', title: 'Populate Sites' }, doctor.stdout);
  });

  it('refuses populate in one sentence while a migrate of the project runs, and writes nothing', async () => {
    const name = path.basename(sandbox().demo);
    const migrate = hold('migrate');
    const migrating = sandbox().cli(['migrate']);
    try {
      await migrate.held();
      const refused = await sandbox().cli(['populate', '--json']);
      assert.equal(refused.code, 1, refused.stdout);
      assert.deepEqual(JSON.parse(refused.stdout), {
        error: {
          code: DaemonErrorCode.ProjectBusy,
          message: `Not populating the sites of ${name}: manage.py migrate is still running for it; try again once it has ended.`,
        },
      });
    } finally {
      release('migrate');
    }
    const migrated = await migrating;
    assert.equal(migrated.code, 0, migrated.stderr);
    const again = await sandbox().cliJson<SitesResult>(['sites', '--refresh']);
    assert.equal(emptyTable(again).length, 1, 'the table is still empty');
  });

  it('populates: both commands streamed line by line to the log, another write refused meanwhile, then the sites read again', async () => {
    const root = sandbox().demo;
    const name = path.basename(root);
    const link = await sandbox().connect();
    const logged: string[] = [];
    const changes: SitesResult[] = [];
    try {
      await link.connection.sendRequest(OpenProject.type, { root });
      link.connection.onNotification(ServerLog.type, (line) => void logged.push(line.text));
      link.connection.onNotification(SitesChanged.type, (result) => void changes.push(result));
      const populate = hold(POPULATE);
      const populating = link.connection.sendRequest(PopulateSites.type, { root });
      try {
        await populate.held();
        for (const [command, refusal] of [
          ['populate', `Not populating the sites of ${name}`],
          ['migrate', `Not migrating ${name}`],
        ]) {
          const refused = await sandbox().cli([command, '--json']);
          assert.equal(refused.code, 1, refused.stdout);
          assert.deepEqual(JSON.parse(refused.stdout), {
            error: {
              code: DaemonErrorCode.ProjectBusy,
              message: `${refusal}: Populate Sites (manage.py ${POPULATE}) is still running for it; try again once it has ended.`,
            },
          });
        }
      } finally {
        release(POPULATE);
      }
      const result = await populating;
      assert.equal(result.rows, 3, result.output);
      assert.match(result.output, /Syncing django_multisite_plus Sites based on settings\nDone\.\n[^]*Syncing multisite\.Alias based on Sites\nDone\.\n$/);
      assert.deepEqual(
        logged.filter((line) => /^(Running manage\.py|Syncing|Rewriting|Done\.)/.test(line)),
        [
          `Running manage.py ${POPULATE}`,
          'Syncing django_multisite_plus Sites based on settings',
          'Done.',
          'Running manage.py multisite_plus_rewrite_domains',
          'Rewriting django.contrib.sites.Site based on local settings',
          'Syncing multisite.Alias based on Sites',
          'Done.',
        ],
      );
      // Django was asked again before the answer came: the client's tree already shows the sites Django has.
      const told = changes.at(-1);
      assert.ok(told, 'the sites were sent again');
      assert.deepEqual(emptyTable(told), []);
      assert.deepEqual(populated(told), ['harbour', 'orchard', 'quarry']);
    } finally {
      link.dispose();
    }
    const listed = await sandbox().cliJson<SitesResult>(['sites']);
    assert.deepEqual(emptyTable(listed), []);
    assert.deepEqual(
      listed.sites.map((s) => [s.slug, s.name, s.domains.local[0]]),
      [
        ['harbour', 'Harbour Gazette', 'harbour.divio.me'],
        ['orchard', 'Orchard Courier', 'orchard.divio.me'],
        ['quarry', 'Quarry Journal', 'quarry.divio.me'],
      ],
    );
    assert.deepEqual(populated(listed), ['harbour', 'orchard', 'quarry']);
  });
});
