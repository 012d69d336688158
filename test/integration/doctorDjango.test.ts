/**
 * The doctor on real projects Django cannot (fully) answer for (issue 23),
 * through the real daemon and CLI, `doctor --json` and its text: settings
 * that import a module the interpreter lacks (cookiecutter-django shaped),
 * settings that raise (get_env_variable), a django-multisite project with no
 * ALLOWED_HOSTS under Host routing, a conditional SITE_ID, a django-tenants
 * project whose database is not running or whose environment lacks
 * django-tenants, and a workspace that is not trusted. Each finding names its file and line; Django's own system checks
 * come with their ids; and "No problems found" is never printed while a
 * check did not run.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { OpenProject, RunDoctor } from '../../protocol/protocol';
import type { DoctorFinding, DoctorReport } from '../../protocol/protocol';
import { FIXTURES } from '../support/demoProject';
import { FRAMEWORKS, cleanEnv } from '../support/standInServer';
import { useFreePort } from '../support/useFreePort';
import { useSandbox } from '../support/useSandbox';
import type { DaemonSandbox } from '../support/daemonSandbox';

const INSTALL = path.join(FRAMEWORKS, 'install.sh');

/** `doctor --json` and the text, as a script and a person run them. */
async function doctor(sandbox: DaemonSandbox, mode: 'env' | 'hosts', extra: string[] = []): Promise<{ code: number; report: DoctorReport; text: string }> {
  const json = await sandbox.cli(['doctor', '--mode', mode, ...extra, '--json']);
  assert.ok(json.code === 0 || json.code === 1, `exit ${json.code}: ${json.stderr}${json.stdout}`);
  const text = await sandbox.cli(['doctor', '--mode', mode, ...extra]);
  assert.equal(text.code, json.code, text.stderr);
  return { code: json.code, report: JSON.parse(json.stdout) as DoctorReport, text: text.stdout };
}

const only = (report: DoctorReport, code: DoctorFinding['code']): DoctorFinding[] => report.findings.filter((f) => f.code === code);

/** Whatever the report holds, "No problems found" only where every check ran and found nothing. */
function assertTruthful(report: DoctorReport, text: string): void {
  const clean = report.findings.length === 0 && report.notRun.length === 0;
  assert.equal(/No problems found/.test(text), clean, text);
  for (const notRun of report.notRun) assert.ok(text.includes(`not run  ${notRun.code}`) || new RegExp(`^not run +${notRun.code} `, 'm').test(text), text);
}

/** A venv for the copy that sees the system's Django (and the stand-ins its requirements.txt names), nothing more. */
function venvOnly(sandbox: DaemonSandbox): void {
  execFileSync('sh', [INSTALL, sandbox.demo], { env: cleanEnv(), stdio: 'pipe' });
}

describe('doctor: settings that import a module the interpreter lacks (cookiecutter-django shaped)', function () {
  const sandbox = useSandbox({ requires: ['django'], project: { source: path.join(FIXTURES, 'settings-missing-module'), setup: false }, prepare: venvOnly });

  it('names the module, the interpreter and the import line, and lists the checks that could not run', async () => {
    const python = path.join(sandbox().demo, '.venv', 'bin', 'python');
    assert.throws(() => execFileSync(python, ['-c', 'import environ'], { stdio: 'pipe' }), 'the fixture needs an environment without django-environ');
    const { code, report, text } = await doctor(sandbox(), 'env');
    assert.equal(code, 1);
    const [setup] = only(report, 'django-setup');
    const base = path.join(sandbox().demo, 'config', 'settings', 'base.py');
    assert.deepEqual([setup.severity, setup.file, setup.line], ['error', base, 10]);
    assert.ok(
      setup.message.startsWith(`The settings import environ (config/settings/base.py:10), which ${python} cannot import (ModuleNotFoundError)`),
      setup.message,
    );
    assert.deepEqual(
      report.notRun.map((n) => n.code),
      ['database', 'django-check'],
    );
    assert.match(
      report.notRun[1].reason,
      /^Django's system checks did not run: Django could not be asked about the project \(ModuleNotFoundError: No module named 'environ'\)\.$/,
    );
    assert.match(text, /^error +django-setup +config\/settings\/base\.py:10 +The settings import environ /m);
    assert.match(text, /^not run +django-check +- +Django's system checks did not run/m);
    assertTruthful(report, text);
  });
});

describe('doctor: settings that raise (get_env_variable)', function () {
  const sandbox = useSandbox({ requires: ['django'], project: { source: path.join(FIXTURES, 'settings-raise'), setup: false }, prepare: venvOnly });

  it("gives the exception's last line and the settings line it was raised at", async () => {
    const { code, report, text } = await doctor(sandbox(), 'env');
    assert.equal(code, 1);
    const [setup] = only(report, 'django-setup');
    assert.deepEqual([setup.file, setup.line], [path.join(sandbox().demo, 'bookshop', 'settings.py'), 17]);
    assert.match(
      setup.message,
      /^The settings cannot be imported with \S+: django\.core\.exceptions\.ImproperlyConfigured: Set the BOOKSHOP_SECRET_KEY environment variable \(raised at bookshop\/settings\.py:17\)/,
    );
    assert.match(text, /^error +django-setup +bookshop\/settings\.py:17 /m);
    // No site could be read either: said, with what was tried and the one next step.
    const [none] = only(report, 'no-sites');
    assert.match(
      none.message,
      /^No site was found in \S+ \(looked in .*Django’s tables \(not read\)\), so there is no site to serve: make Django start with the settings/,
    );
    assertTruthful(report, text);
  });
});

describe('doctor: a django-multisite project without ALLOWED_HOSTS, under Host routing', function () {
  this.timeout(120_000);
  const sandbox = useSandbox({
    requires: ['django'],
    project: { source: path.join(FIXTURES, 'multisite-unset-hosts'), setup: false },
    prepare: (created) =>
      void execFileSync('sh', [path.join(created.demo, 'setup.sh'), created.demo], {
        env: cleanEnv({ MULTISITE_FIXTURE_FRAMEWORKS: FRAMEWORKS }),
        stdio: 'pipe',
      }),
    hookTimeoutMs: 180_000,
  });

  it("is an error naming the sites' domains and the settings file where to add them, in either mode", async () => {
    const settings = path.join(sandbox().demo, 'choirnet', 'settings.py');
    for (const mode of ['env', 'hosts'] as const) {
      const { code, report, text } = await doctor(sandbox(), mode);
      assert.equal(code, 1, mode);
      const [hosts, ...more] = only(report, 'allowed-hosts');
      assert.deepEqual(more, [], mode);
      assert.deepEqual([hosts.severity, hosts.file, hosts.line], ['error', settings, null], mode);
      assert.match(hosts.message, /^ALLOWED_HOSTS \(not set in choirnet\/settings\.py, so Django's default \[\]\) is empty, which with DEBUG on allows only/);
      assert.match(hosts.message, /northchoirs\.example and southchoirs\.example/);
      assert.match(text, /^error +allowed-hosts +choirnet\/settings\.py +ALLOWED_HOSTS /m);
      assert.deepEqual(report.notRun, [], 'every check ran');
      assertTruthful(report, text);
    }
  });

  it("lists Django's system checks by id, leaving the silenced ones out", async () => {
    const { report, text } = await doctor(sandbox(), 'env');
    const checks = only(report, 'django-check');
    assert.ok(
      checks.some(
        (f) => f.severity === 'warning' && f.message.startsWith("Django's system check models.W042 (choirnet.Rehearsal): Auto-created primary key used"),
      ),
      JSON.stringify(checks, null, 2),
    );
    assert.ok(!checks.some((f) => f.message.includes('sites.E101')), 'SILENCED_SYSTEM_CHECKS holds sites.E101');
    assert.match(text, /^warning +django-check +choirnet\/settings\.py +Django's system check models\.W042/m);
  });

  it('mode hosts warns of ALLOWED_HOSTS, not of Django’s system check warnings, which are no hosts-mode matter', async () => {
    const result = await sandbox().cli(['mode', 'hosts']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /^warning: ALLOWED_HOSTS \(not set in choirnet\/settings\.py/m);
    assert.doesNotMatch(result.stderr, /models\.W042/);
    const back = await sandbox().cli(['mode', 'env']);
    assert.equal(back.code, 0, back.stderr);
  });
});

describe('doctor: a SITE_ID in the else of an if reading SITE_ID from the environment', function () {
  const sandbox = useSandbox({ requires: ['django'], project: { source: path.join(FIXTURES, 'siteid-conditional'), setup: true } });
  // A port nothing holds: Django's 8000 often is (and is, under .ci/run), which the doctor would rightly say.
  const port = useFreePort(29_700);

  it('is no forced SITE_ID in SITE_ID mode (No problems found), and in hosts mode says what it does there', async () => {
    const env = await doctor(sandbox(), 'env', ['--port', String(port())]);
    assert.deepEqual(env.report.findings, []);
    assert.deepEqual(env.report.notRun, []);
    const [verdict, python] = env.text.trim().split('\n');
    assert.equal(verdict, `No problems found in ${path.basename(sandbox().demo)} for every site at once.`);
    assert.match(python, /^Python: \S+\/\.venv\/bin\/python \(\.venv, Django [\d.]+\)$/);
    assert.equal(env.code, 0);
    const hosts = await doctor(sandbox(), 'hosts');
    const [forced] = only(hosts.report, 'forced-site-id');
    assert.deepEqual([forced.file, forced.line], [path.join(sandbox().demo, 'gazette', 'settings.py'), 20]);
    assert.match(forced.message, /sets SITE_ID=1 when the environment sets none \(the branch at line 17\), and hosts mode starts the server without SITE_ID/);
  });
});

describe('doctor: a django-tenants project (SITE_ID = 1) whose PostgreSQL is not running', function () {
  const pgPort = useFreePort(29_500);
  const sandbox = useSandbox(() => ({
    requires: ['django'],
    project: { source: path.join(FIXTURES, 'tenants-schemas'), setup: false },
    // Nothing listens on that port: the database cannot be reached.
    env: { DATABASE_URL: `postgres://shelfwise@127.0.0.1:${pgPort()}/shelfwise` },
    prepare: venvOnly,
  }));

  it('names the database and the DATABASES line, and never calls SITE_ID = 1 forced', async () => {
    for (const mode of ['env', 'hosts'] as const) {
      const { report, text } = await doctor(sandbox(), mode);
      assert.deepEqual(only(report, 'forced-site-id'), [], mode);
      const [db] = only(report, 'database');
      assert.deepEqual([db.severity, db.file, db.line], ['error', path.join(sandbox().demo, 'shelfwise', 'settings.py'), 105], mode);
      assert.match(
        db.message,
        new RegExp(`^The database \\(django_tenants\\.postgresql_backend shelfwise at 127\\.0\\.0\\.1:${pgPort()}\\) cannot be reached`),
      );
      const [none] = only(report, 'no-sites');
      assert.match(none.message, /the tenants’ domains \(django-tenants\).*: create a tenant with its domain: python manage\.py create_tenant\.$/);
      assertTruthful(report, text);
    }
  });
});

describe('doctor: a django-tenants project whose environment lacks django-tenants', function () {
  const sandbox = useSandbox({
    requires: ['django'],
    project: { source: path.join(FIXTURES, 'tenants-schemas'), setup: false },
    // Django alone in the venv: the copy's requirements (the stand-in) are not installed.
    prepare: (created) => {
      rmSync(path.join(created.demo, 'requirements.txt'));
      venvOnly(created);
    },
  });

  it('names the app at the settings line listing it, and without Django’s answer still never calls SITE_ID = 1 forced', async () => {
    const { report, text } = await doctor(sandbox(), 'hosts');
    const [setup] = only(report, 'django-setup');
    assert.deepEqual([setup.file, setup.line], [path.join(sandbox().demo, 'shelfwise', 'settings.py'), 19]);
    assert.match(setup.message, /^The settings import django_tenants \(shelfwise\/settings\.py:19\), which \S+ cannot import/);
    assert.deepEqual(only(report, 'forced-site-id'), []);
    assertTruthful(report, text);
  });
});

describe('doctor: a workspace that is not trusted (Django is not asked)', function () {
  const sandbox = useSandbox({ requires: ['django'] });

  it('lists the checks that need Django as not run, so the report is never "no problems"', async () => {
    const link = await sandbox().connect();
    try {
      await link.connection.sendRequest(OpenProject.type, { root: sandbox().demo, trusted: false });
      const report = await link.connection.sendRequest(RunDoctor.type, { root: sandbox().demo, mode: 'env' });
      assert.deepEqual(
        report.notRun.map((n) => n.code),
        ['django-setup', 'database', 'django-check'],
      );
      assert.match(report.notRun[0].reason, /^Django was not asked about the project: the workspace is not trusted/);
    } finally {
      link.dispose();
    }
  });
});
