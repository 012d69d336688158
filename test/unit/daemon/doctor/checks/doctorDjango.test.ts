/**
 * The doctor's findings made of Django's answer (issue 23), on small inputs
 * and the fixtures' settings: the settings that cannot be imported (a module
 * the interpreter lacks, named with the interpreter; a module of the project
 * that does not exist; an exception, with where it was raised), the database
 * that cannot be reached or is not migrated, Django's system checks by id and
 * level, no site found with the next step for what the project has,
 * ALLOWED_HOSTS as Django applies it when it is not set, forced SITE_ID never
 * for django-tenants (the CLI's words for a report: doctorReportText.test.ts).
 */
import * as assert from 'node:assert/strict';
import { hostsModeWarnings } from '../../../../../daemon/hosts/hostsModeWarnings';
import * as path from 'node:path';
import { allowedHostsFindings } from '../../../../../daemon/doctor/checks/allowedHosts';
import { databaseFindings } from '../../../../../daemon/doctor/checks/database';
import { checkSeverity, djangoCheckFinding, settingNamed } from '../../../../../daemon/doctor/checks/djangoChecks';
import { missingModule, setupFailureFinding } from '../../../../../daemon/doctor/checks/djangoSetup';
import { forcedSiteIdFindings } from '../../../../../daemon/doctor/checks/forcedSiteId';
import { nextStep, noSitesFinding } from '../../../../../daemon/doctor/checks/noSites';
import type { DoctorFinding } from '../../../../../protocol/protocol';
import type { DjangoRead } from '../../../../../daemon/sites/askDjango';
import type { DjangoFacts } from '../../../../../daemon/sites/djangoFacts';
import { readSiteConfig } from '../../../../../daemon/sites/siteConfig';
import { FIXTURES } from '../../../../support/demoProject';
import { djangoAnswer } from '../../../../support/djangoAnswer';

const ROOT = '/work/shop';
const PYTHON = '/work/shop/.venv/bin/python';

/** Django's answer with `change` made to its facts. */
function answer(change: (facts: DjangoFacts) => void): DjangoRead {
  const read = djangoAnswer([]);
  if (read.ok) change(read.facts);
  return read;
}
const factsOf = (read: DjangoRead): DjangoFacts => (read.ok ? read.facts : assert.fail('an answer'));

function assertOneSentence(finding: DoctorFinding): void {
  assert.match(finding.message, /^[A-Za-z].*\.$/s, finding.message);
}

describe('django-setup', () => {
  const failed = (reason: string, file: string | null, line: number | null) => ({ ok: false as const, reason, file, line });

  it('names a module the settings import that the interpreter lacks, with the interpreter, at the import', () => {
    const read = failed("ModuleNotFoundError: No module named 'environ'", `${ROOT}/config/settings/base.py`, 10);
    assert.equal(missingModule(read.reason), 'environ');
    const finding = setupFailureFinding({ root: ROOT, read, python: PYTHON, projectModule: false, naming: null, inSettings: true });
    assert.deepEqual([finding.code, finding.severity, finding.file, finding.line], ['django-setup', 'error', `${ROOT}/config/settings/base.py`, 10]);
    assert.match(finding.message, /^The settings import environ \(config\/settings\/base\.py:10\), which \/work\/shop\/\.venv\/bin\/python cannot import/);
    assertOneSentence(finding);
  });

  it("points at the settings line naming an app the interpreter lacks, not at Django's app loading", () => {
    const read = failed("ModuleNotFoundError: No module named 'django_tenants'", `${ROOT}/manage.py`, 22);
    const naming = { file: `${ROOT}/shop/settings.py`, line: 19 };
    const finding = setupFailureFinding({ root: ROOT, read, python: PYTHON, projectModule: false, naming, inSettings: false });
    assert.deepEqual([finding.file, finding.line], [`${ROOT}/shop/settings.py`, 19]);
    assert.match(finding.message, /^The settings import django_tenants \(shop\/settings\.py:19\)/);
  });

  it("says a module of the project's own does not exist", () => {
    const read = failed("ModuleNotFoundError: No module named 'crashing.local_secrets'", `${ROOT}/crashing/settings.py`, 24);
    const finding = setupFailureFinding({ root: ROOT, read, python: PYTHON, projectModule: true, naming: null, inSettings: true });
    assert.match(finding.message, /^The settings import crashing\.local_secrets \(crashing\/settings\.py:24\), which does not exist in the project/);
  });

  it("gives an exception's last line and where it was raised: in the settings, or in django.setup()", () => {
    const reason = 'django.core.exceptions.ImproperlyConfigured: Set the BOOKSHOP_SECRET_KEY environment variable';
    const inSettings = setupFailureFinding({
      root: ROOT,
      read: failed(reason, `${ROOT}/bookshop/settings.py`, 17),
      python: PYTHON,
      projectModule: false,
      naming: null,
      inSettings: true,
    });
    assert.equal(
      inSettings.message,
      `The settings cannot be imported with ${PYTHON}: ${reason} (raised at bookshop/settings.py:17), so Django cannot start: fix it there.`,
    );
    const setup = setupFailureFinding({
      root: ROOT,
      read: failed('RuntimeError: no signal handler', `${ROOT}/shop/apps.py`, 9),
      python: PYTHON,
      projectModule: false,
      naming: null,
      inSettings: false,
    });
    assert.match(setup.message, /^django\.setup\(\) raised RuntimeError: no signal handler \(raised at shop\/apps\.py:9\)/);
    const nowhere = setupFailureFinding({
      root: ROOT,
      read: failed('asking Django about shop timed out after 30 s', null, null),
      python: PYTHON,
      projectModule: false,
      naming: null,
      inSettings: false,
    });
    assert.deepEqual([nowhere.file, nowhere.line], [null, null]);
    assert.match(nowhere.message, /^Django could not start with .*timed out after 30 s\.$/);
  });
});

describe('database', () => {
  const db = { file: `${ROOT}/shop/settings.py`, line: 105 };

  it('is an error naming the database and the DATABASES line when it cannot be reached, once for every read it broke', () => {
    const facts = factsOf(
      answer((f) => {
        f.settings.database = { engine: 'django_tenants.postgresql_backend', name: 'shelfwise', host: '127.0.0.1', port: '5999' };
        const message =
          'django.db.utils.OperationalError: connection to server at "127.0.0.1", port 5999 failed: Connection refused Is the server running on that host and accepting TCP/IP connections?';
        f.problems = [
          { what: 'the Sites table (django.contrib.sites)', type: 'OperationalError', message, file: null, line: null },
          { what: 'the tenants and their domains', type: 'OperationalError', message, file: null, line: null },
        ];
      }),
    );
    const [finding, ...rest] = databaseFindings(facts, ROOT, db);
    assert.deepEqual(rest, []);
    assert.deepEqual([finding.code, finding.severity, finding.file, finding.line], ['database', 'error', db.file, 105]);
    assert.match(
      finding.message,
      /^The database \(django_tenants\.postgresql_backend shelfwise at 127\.0\.0\.1:5999\) cannot be reached, so the Sites table \(django\.contrib\.sites\) and the tenants and their domains could not be read/,
    );
    assert.match(finding.message, /point DATABASES \(shop\/settings\.py:105\) at one that runs\.$/);
  });

  it('is a warning saying to migrate when a table does not exist yet', () => {
    const facts = factsOf(
      answer(
        (f) =>
          (f.problems = [
            {
              what: 'the Sites table (django.contrib.sites)',
              type: 'OperationalError',
              message: 'django.db.utils.OperationalError: no such table: django_site',
              file: null,
              line: null,
            },
          ]),
      ),
    );
    const [finding] = databaseFindings(facts, ROOT, db);
    assert.equal(finding.severity, 'warning');
    assert.match(
      finding.message,
      /^The Sites table \(django\.contrib\.sites\) could not be read: .*no such table: django_site\): run python manage\.py migrate\.$/,
    );
  });
});

describe('django-check', () => {
  it('maps levels to severities and names the check by id, pointing at the setting it names', () => {
    assert.deepEqual([50, 40, 30, 20, 10].map(checkSeverity), ['error', 'error', 'warning', 'info', null]);
    const e101 = { id: 'sites.E101', level: 40, message: 'The SITE_ID setting must be an integer.', hint: null, object: null };
    assert.equal(settingNamed(e101), 'SITE_ID');
    const finding = djangoCheckFinding(e101, { file: `${ROOT}/shop/settings.py`, line: 30 });
    assert.deepEqual(finding, {
      code: 'django-check',
      severity: 'error',
      message: "Django's system check sites.E101: The SITE_ID setting must be an integer.",
      file: `${ROOT}/shop/settings.py`,
      line: 30,
    });
    const w042 = djangoCheckFinding(
      { id: 'models.W042', level: 30, message: 'Auto-created primary key used.', hint: 'Configure the DEFAULT_AUTO_FIELD setting.', object: 'shop.Order' },
      null,
    );
    assert.equal(w042?.severity, 'warning');
    assert.equal(w042?.message, "Django's system check models.W042 (shop.Order): Auto-created primary key used (Configure the DEFAULT_AUTO_FIELD setting).");
    assert.equal(djangoCheckFinding({ id: 'x.D001', level: 10, message: 'debug', hint: null, object: null }, null), null);
  });
});

describe('no-sites', () => {
  const config = {
    project: { root: ROOT, name: 'shop' },
    sitesSought: ['multisite.json', "Django’s tables (not read: ModuleNotFoundError: No module named 'environ')"],
    servingFacts: { settingsFile: `${ROOT}/shop/settings.py` },
  };

  it('says where sites were looked for and the one next step for what the project has', () => {
    const notRead = noSitesFinding(config, { ok: false, reason: 'x', file: null, line: null });
    assert.equal(notRead.severity, 'error');
    assert.match(
      notRead.message,
      /^No site was found in shop \(looked in multisite\.json, Django’s tables \(not read\)\), so there is no site to serve: make Django start/,
    );
    assert.match(nextStep(null), /^trust the workspace/);
    const tenants = answer(
      (f) =>
        (f.frameworks = [
          { name: 'django.contrib.sites', version: null },
          { name: 'django-tenants', version: '3.5.0' },
        ]),
    );
    assert.match(nextStep(tenants), /python manage\.py create_tenant$/);
    const wagtail = answer((f) => (f.frameworks = [{ name: 'wagtail', version: '5.2' }]));
    assert.match(nextStep(wagtail), /Wagtail's admin \(Settings › Sites\)/);
    assert.match(nextStep(djangoAnswer([])), /Site\.objects\.create\(domain='alpha\.example'/);
    const none = answer((f) => (f.frameworks = []));
    assert.match(nextStep(none), /DJANGO_MULTISITE_PLUS_SITES = \{"alpha"/);
    const unmigrated = answer(
      (f) => (f.problems = [{ what: 'the Sites table', type: 'OperationalError', message: 'no such table: django_site', file: null, line: null }]),
    );
    assert.match(nextStep(unmigrated), /python manage\.py migrate$/);
    const answered = noSitesFinding(config, none);
    assert.deepEqual([answered.file, answered.line], [`${ROOT}/shop/settings.py`, null]);
  });
});

describe('allowed-hosts as Django applies it', () => {
  const root = path.join(FIXTURES, 'multisite-unset-hosts');

  it('when not set, refuses the sites’ domains under Host routing: an error naming them and the settings file', async () => {
    const read = answer((f) => {
      f.settings.allowedHosts = [];
      f.settings.effectiveAllowedHosts = ['.localhost', '127.0.0.1', '[::1]'];
      f.frameworks.push({ name: 'django-multisite', version: '1.9.0' });
      f.settings.middleware = ['multisite.middleware.DynamicSiteMiddleware'];
      f.sites.contrib = [
        { id: 1, domain: 'northchoirs.example', name: 'North Choirs' },
        { id: 2, domain: 'southchoirs.example', name: 'South Choirs' },
      ];
    });
    const config = await readSiteConfig(root, { django: read });
    assert.equal(config.servingFacts.allowedHosts, null, 'not known without Django');
    const settings = path.join(root, 'choirnet', 'settings.py');
    for (const [mode, strategy] of [
      ['hosts', 'restart'],
      ['env', 'host'],
    ] as const) {
      const [finding, ...rest] = allowedHostsFindings(config, mode, strategy, 3);
      assert.deepEqual(rest, [], mode);
      assert.deepEqual([finding.severity, finding.file, finding.line], ['error', settings, null], mode);
      assert.match(
        finding.message,
        /^ALLOWED_HOSTS \(not set in choirnet\/settings\.py, so Django's default \[\]\) is empty, which with DEBUG on allows only \.localhost, 127\.0\.0\.1 and \[::1\]/,
      );
      assert.match(finding.message, /northchoirs\.example and southchoirs\.example/);
    }
    assert.deepEqual(allowedHostsFindings(config, 'env', 'siteId', 3), [], 'the .localhost names pass with DEBUG');
    const strict = { ...config, django: { ...factsOf(read), settings: { ...factsOf(read).settings, debug: false, effectiveAllowedHosts: [] } } };
    assert.match(allowedHostsFindings(strict, 'env', 'siteId', 3)[0].message, /is empty and DEBUG is False/);
  });
});

describe('forced-site-id where SITE_ID picks nothing', () => {
  it('says nothing of the SITE_ID = 1 of a django-tenants project, with or without Django’s answer', async () => {
    const root = path.join(FIXTURES, 'tenants-schemas');
    const config = await readSiteConfig(root);
    // The settings set SITE_ID = 1, which forces nothing here: not in the sites (hosts mode's notes read it), not in the doctor.
    assert.equal(config.forcedSiteId, null);
    assert.deepEqual(hostsModeWarnings(config, root), []);
    assert.equal(config.servingFacts.siteIdUnused?.framework, 'django-tenants');
    const literal = { ...config, forcedSiteId: { value: 1, file: path.join(root, 'shelfwise', 'settings.py'), line: 1 } };
    for (const mode of ['env', 'hosts'] as const)
      for (const strategy of ['host', 'siteId', 'restart'] as const) assert.deepEqual(forcedSiteIdFindings(literal, root, mode, strategy, null), []);
    const tenants = answer((f) => f.frameworks.push({ name: 'django-tenants', version: '3.5.0' }));
    assert.deepEqual(forcedSiteIdFindings(literal, root, 'hosts', 'restart', factsOf(tenants)), []);
    const read = await readSiteConfig(root, { django: tenants });
    assert.equal(read.forcedSiteId, null, 'Django says django-tenants is installed');
  });

  it('says nothing of a SITE_ID set in a Wagtail project either (Wagtail picks the site by its Sites)', async () => {
    const root = path.join(FIXTURES, 'wagtail-sites');
    const config = await readSiteConfig(root);
    assert.equal(config.servingFacts.siteIdUnused?.framework, 'Wagtail');
    const settings = path.join(root, 'bakery', 'settings', 'base.py');
    const forced = { ...config, forcedSiteId: { value: 1, file: settings, line: 30 } };
    for (const mode of ['env', 'hosts'] as const) assert.deepEqual(forcedSiteIdFindings(forced, root, mode, 'restart', null), []);
  });

  it('says of a default in an environment branch only where a server runs without SITE_ID', async () => {
    const root = path.join(FIXTURES, 'siteid-conditional');
    const config = await readSiteConfig(root);
    assert.deepEqual(forcedSiteIdFindings(config, root, 'env', 'siteId'), []);
    assert.deepEqual(forcedSiteIdFindings(config, root, 'env', 'restart'), []);
    const [hosts] = forcedSiteIdFindings(config, root, 'hosts', 'restart');
    assert.deepEqual([hosts.severity, hosts.line], ['error', 20]);
    assert.match(
      hosts.message,
      /^gazette\/settings\.py:20 sets SITE_ID=1 when the environment sets none \(the branch at line 17\), and hosts mode starts the server without SITE_ID/,
    );
  });
});
