/**
 * The serving facts readSiteConfig gathers for the local proxy, on small temp
 * projects and the Divio fixture: where SITE_ID is read from the environment
 * (in its usual spellings, not in comments), ALLOWED_HOSTS as a literal or
 * from the environment (unknown when computed), DEBUG, USE_X_FORWARDED_HOST
 * and CSRF_TRUSTED_ORIGINS, each with file and line, and none of it sent to
 * clients or changing what readSiteConfig reports.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ProjectSites } from '../../../../daemon/sites/projectSites';
import { withoutComment } from '../../../../daemon/sites/python/pythonComment';
import { readSiteConfig } from '../../../../daemon/sites/siteConfig';
import { FIXTURES } from '../../../support/demoProject';
import { useTempProjects } from '../../../support/tempProject';
import { projectCodeIn } from '../../../support/projectCode';

const MANAGE = 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n';

describe('servingFacts', () => {
  const temp = useTempProjects('facts', 'each');
  const make = (settings: string, more: Record<string, string> = {}): string => temp({ 'manage.py': MANAGE, 'proj/settings.py': settings, ...more });
  const factsOf = async (root: string) => (await readSiteConfig(root)).servingFacts;
  const settingsFile = (root: string): string => path.join(root, 'proj', 'settings.py');

  it('reads the demo project shape: SITE_ID from the environment, DEBUG and ALLOWED_HOSTS literals', async () => {
    const root = make(`import os

DEBUG = True
ALLOWED_HOSTS = ["*"]  # every local domain

if os.environ.get("SITE_ID"):
    SITE_ID = int(os.environ["SITE_ID"])
`);
    const facts = await factsOf(root);
    assert.deepEqual(facts, {
      siteIdFromEnvironment: { file: settingsFile(root), line: 6 },
      allowedHosts: { value: ['*'], file: settingsFile(root), line: 4, label: 'proj/settings.py:4' },
      allowedHostsComputed: null,
      debug: true,
      useXForwardedHost: null,
      csrfTrustedOrigins: null,
      settingsFile: settingsFile(root),
      siteIdUnused: null,
      siteIdDefault: null,
    });
  });

  it('finds every usual spelling of reading SITE_ID from the environment', async () => {
    const spellings = [
      'SITE_ID = int(os.environ.get("SITE_ID", 1))',
      "SITE_ID = int(os.environ['SITE_ID'])",
      "SITE_ID = int(environ.get('SITE_ID'))",
      'SITE_ID = int(os.getenv("SITE_ID", "1"))',
      'SITE_ID = env("SITE_ID")',
      'SITE_ID = env.int("SITE_ID", default=1)',
      "SITE_ID = env.get_value('SITE_ID', cast=int)",
      'SITE_ID = config("SITE_ID", cast=int)',
      'SITE_ID = int(os.environ .get( "SITE_ID"))',
      'NAME = "#"; SITE_ID = int(os.getenv("SITE_ID"))',
    ];
    for (const spelling of spellings) {
      const root = make(`import os\n\n${spelling}\n`);
      assert.deepEqual((await factsOf(root)).siteIdFromEnvironment, { file: settingsFile(root), line: 3 }, spelling);
    }
  });

  it('does not count SITE_ID in comments, other names, or a literal', async () => {
    const lines = [
      '# SITE_ID = int(os.environ["SITE_ID"])',
      'SITE_ID = 1  # or os.environ.get("SITE_ID")',
      'SITE_ID = int(os.environ.get("MY_SITE_ID", 1))',
      'SITE_ID = int(os.environ.get("SITE_IDS", 1))',
      'SITE_ID = myenv("SITE_ID")',
      'SITE_ID = 2',
    ];
    for (const line of lines) {
      const root = make(`import os\n${line}\n`);
      assert.equal((await factsOf(root)).siteIdFromEnvironment, null, line);
    }
  });

  it('finds the read in a star-imported settings module', async () => {
    const root = temp({
      'manage.py': MANAGE,
      'proj/settings/__init__.py': 'from .base import *  # noqa\n',
      'proj/settings/base.py': 'import os\nDEBUG = False\nSITE_ID = int(os.getenv("SITE_ID", "1"))\n',
    });
    const facts = await factsOf(root);
    assert.deepEqual(facts.siteIdFromEnvironment, { file: path.join(root, 'proj', 'settings', 'base.py'), line: 3 });
    assert.equal(facts.debug, false);
  });

  it('takes ALLOWED_HOSTS from the environment when the settings compute it', async () => {
    const root = make('import os\nALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "").split(",")\n', {
      '.env': '# hosts\nALLOWED_HOSTS= example.com , .localhost,\n',
    });
    const facts = await factsOf(root);
    assert.deepEqual(facts.allowedHosts, { value: ['example.com', '.localhost'], file: path.join(root, '.env'), line: 2, label: '.env:2' });
    assert.equal(facts.allowedHostsComputed, null);
  });

  it('reads a JSON list in the environment too (aldryn style)', async () => {
    const root = make('X = 1\n', { '.env-local': 'ALLOWED_HOSTS=["a.example", "*"]\n' });
    assert.deepEqual((await factsOf(root)).allowedHosts?.value, ['a.example', '*']);
  });

  it('leaves ALLOWED_HOSTS unknown, with where, when it is computed and the environment does not say', async () => {
    const root = make('import os\nALLOWED_HOSTS = os.environ["HOSTS"].split()\nDEBUG = os.environ.get("DEBUG") == "1"\n');
    const result = await readSiteConfig(root);
    assert.equal(result.servingFacts.allowedHosts, null);
    assert.deepEqual(result.servingFacts.allowedHostsComputed, { file: settingsFile(root), line: 2 });
    assert.equal(result.servingFacts.debug, null);
    // The new names read add no diagnostics of their own.
    assert.deepEqual(result.diagnostics, []);
  });

  it('treats a list changed in place as unknown', async () => {
    const root = make(`ALLOWED_HOSTS = ["a.example"]
ALLOWED_HOSTS += ["b.example"]
CSRF_TRUSTED_ORIGINS = ["https://a.example"]
CSRF_TRUSTED_ORIGINS.append("https://b.example")
`);
    const facts = await factsOf(root);
    assert.equal(facts.allowedHosts, null);
    assert.deepEqual(facts.allowedHostsComputed, { file: settingsFile(root), line: 2 });
    assert.equal(facts.csrfTrustedOrigins, null);
  });

  it('reports no ALLOWED_HOSTS and nothing computed when the settings do not set it', async () => {
    const facts = await factsOf(make('X = 1\n'));
    assert.equal(facts.allowedHosts, null);
    assert.equal(facts.allowedHostsComputed, null);
    assert.equal(facts.debug, null);
  });

  it('reads USE_X_FORWARDED_HOST as a literal, else as an environment flag', async () => {
    const literal = make('USE_X_FORWARDED_HOST = True\n', { '.env': 'USE_X_FORWARDED_HOST=false\n' });
    assert.deepEqual((await factsOf(literal)).useXForwardedHost, { value: true, file: settingsFile(literal), line: 1, label: 'proj/settings.py:1' });
    const fromEnv = make('import environ\nUSE_X_FORWARDED_HOST = env.bool("USE_X_FORWARDED_HOST")\n', { '.env-local': 'USE_X_FORWARDED_HOST=yes\n' });
    assert.deepEqual((await factsOf(fromEnv)).useXForwardedHost, {
      value: true,
      file: path.join(fromEnv, '.env-local'),
      line: 1,
      label: '.env-local:1',
    });
    assert.equal((await factsOf(make('X = 1\n'))).useXForwardedHost, null);
  });

  it('reads CSRF_TRUSTED_ORIGINS as a literal list only', async () => {
    const root = make('CSRF_TRUSTED_ORIGINS = (\n    "https://a.example",\n    "https://*.b.example",\n)\n');
    assert.deepEqual((await factsOf(root)).csrfTrustedOrigins, {
      value: ['https://a.example', 'https://*.b.example'],
      file: settingsFile(root),
      line: 1,
      label: 'proj/settings.py:1',
    });
    assert.equal((await factsOf(make('CSRF_TRUSTED_ORIGINS = env.list("ORIGINS")\n'))).csrfTrustedOrigins, null);
  });

  it('knows that aldryn-django reads SITE_ID, DEBUG and ALLOWED_HOSTS (the Divio fixture)', async () => {
    const root = path.join(FIXTURES, 'divio-env');
    const settings = path.join(root, 'settings.py');
    const facts = await factsOf(root);
    assert.deepEqual(facts.siteIdFromEnvironment, { file: settings, line: 9 });
    assert.equal(facts.allowedHosts, null);
    assert.deepEqual(facts.allowedHostsComputed, { file: settings, line: 9 });
    assert.equal(facts.debug, false, "aldryn-django's default without DEBUG in the environment");
  });

  it('lets a literal after aldryn load() win, and load() win over one before it', async () => {
    const load = 'import aldryn_addons.settings\naldryn_addons.settings.load(locals())\n';
    const after = make(`INSTALLED_ADDONS = []\n${load}SITE_ID = 3\nDEBUG = True\nALLOWED_HOSTS = [".localhost"]\n`);
    const facts = await factsOf(after);
    assert.equal(facts.siteIdFromEnvironment, null);
    assert.equal(facts.debug, true);
    assert.deepEqual(facts.allowedHosts?.value, ['.localhost']);
    const before = make(`DEBUG = False\nALLOWED_HOSTS = []\n${load}`, { '.env': 'DEBUG=on\n' });
    const overwritten = await factsOf(before);
    assert.equal(overwritten.debug, true);
    assert.equal(overwritten.allowedHosts, null);
    assert.deepEqual(overwritten.siteIdFromEnvironment, { file: settingsFile(before), line: 4 });
  });

  it('keeps the facts in the daemon: the sites sent to clients have no servingFacts', async () => {
    const root = make('DEBUG = True\n');
    const sites = new ProjectSites(root, { changed: () => undefined, log: () => undefined }, projectCodeIn(root));
    try {
      const result = await sites.open({ root, trusted: false });
      assert.equal('servingFacts' in result, false);
      assert.equal('watchFiles' in result, false);
      assert.equal(sites.get().servingFacts.debug, true);
    } finally {
      await sites.close();
    }
  });
});

describe('withoutComment', () => {
  it('drops a comment, not a # inside a string', () => {
    assert.equal(withoutComment('x = 1  # note'), 'x = 1  ');
    assert.equal(withoutComment('x = "a#b"  # note'), 'x = "a#b"  ');
    assert.equal(withoutComment("x = 'it\\'s #1' # c"), "x = 'it\\'s #1' ");
    assert.equal(withoutComment('# all comment'), '');
    assert.equal(withoutComment('no comment'), 'no comment');
  });
});
