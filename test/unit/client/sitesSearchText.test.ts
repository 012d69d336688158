/** What the Sites view and `sites` say when no site was found (issue 23): what was tried, and the next step. */
import * as assert from 'node:assert/strict';
import type { SitesResult, SitesSearch } from '../../../protocol/protocol';
import { nextStep, nothingFoundText, whatWasTried } from '../../../client/sitesSearchText';
import { sitesSearch, sitesSought } from '../../../daemon/sites/sitesSought';
import { djangoAnswer } from '../../support/djangoAnswer';

const ROOT = '/projects/plain';

function result(searched: SitesSearch, more: Partial<SitesResult> = {}): SitesResult {
  return {
    project: { root: ROOT, name: 'plain' },
    settings: { module: 'plain.settings', from: 'manage.py', file: null, others: [] },
    sites: [],
    diagnostics: [],
    forcedSiteId: null,
    options: { port: null, runner: null, sharedDatabase: [], warmSites: null, sitePorts: null, routing: null },
    sitesTableRead: searched.djangoNotRead === null,
    sitesSought: sitesSought(searched.djangoNotRead === null ? djangoAnswer([]) : null),
    searched,
    ...more,
  };
}

const READ: SitesSearch = {
  settingsModule: 'plain.settings',
  interpreter: '/projects/plain/.venv/bin/python',
  frameworks: ['django.contrib.sites'],
  djangoNotRead: null,
};

describe('what was tried when no site was found', () => {
  it('names the settings module, the interpreter, the frameworks and every source looked in', () => {
    assert.deepEqual(whatWasTried(result(READ)), [
      { label: 'Settings module', value: 'plain.settings' },
      { label: 'Interpreter', value: '/projects/plain/.venv/bin/python' },
      { label: 'Frameworks', value: 'django.contrib.sites' },
      { label: 'Looked in', value: 'DJANGO_MULTISITE_PLUS_SITES in the settings and env files' },
      { label: 'Looked in', value: 'multisite.json' },
      { label: 'Looked in', value: 'the Sites table (django.contrib.sites)' },
    ]);
  });

  it('says why the interpreter and the frameworks are not known, without repeating the failure', () => {
    const failed = whatWasTried(
      result({ settingsModule: null, interpreter: null, frameworks: null, djangoNotRead: { failure: 'No Python interpreter can import Django' } }),
    );
    assert.equal(failed[0].value, 'none found (manage.py names no DJANGO_SETTINGS_MODULE)');
    assert.equal(failed[1].value, 'none found that can import Django');
    assert.equal(failed[2].value, 'not known: Django’s tables were not read');
    const untrusted = whatWasTried(result({ ...READ, interpreter: null, frameworks: null, djangoNotRead: 'untrusted' }));
    assert.equal(untrusted[1].value, 'not looked for (the workspace is not trusted)');
    const pending = whatWasTried(result({ ...READ, interpreter: null, frameworks: null, djangoNotRead: 'pending' }));
    assert.deepEqual([pending[1].value, pending[2].value], ['being looked for', 'not known yet: Django is being asked']);
    assert.equal(whatWasTried(result({ ...READ, frameworks: [] }))[2].value, 'no multi-site framework installed');
  });
});

describe('the next step when no site was found', () => {
  it('is Populate Sites where django-multisite-plus’s table is empty', () => {
    const empty = result(READ, { diagnostics: [{ severity: 'warning', message: 'empty', file: null, line: null, code: 'multisite-plus-empty' }] });
    assert.deepEqual([nextStep(empty).kind, nextStep(empty).cli], ['populate', 'multisite-local populate']);
  });

  it('is trusting the workspace where Django may not be asked', () => {
    assert.equal(nextStep(result({ ...READ, interpreter: null, frameworks: null, djangoNotRead: 'untrusted' })).kind, 'trust');
  });

  it('is the doctor where no settings module was found or Django could not be read', () => {
    assert.equal(nextStep(result({ ...READ, settingsModule: null })).kind, 'doctor');
    assert.equal(nextStep(result({ ...READ, frameworks: null, djangoNotRead: { failure: "KeyError: 'DATABASE_URL'" } })).kind, 'doctor');
    // Still reading: the answer is coming, nothing to fix yet.
    assert.equal(nextStep(result({ ...READ, frameworks: null, djangoNotRead: 'pending' })).kind, 'writeConfig');
  });

  it('is declaring the sites (and writing multisite.json) where everything was read and nothing declares one', () => {
    const step = nextStep(result(READ));
    assert.equal(step.kind, 'writeConfig');
    assert.equal(step.title, 'Write multisite.json');
  });

  it('prints it all for the terminal, labels aligned, the next step last', () => {
    const lines = nothingFoundText(result(READ)).split('\n');
    assert.equal(lines[0], `No site was found in ${ROOT}. What was tried:`);
    assert.equal(lines[1], '  Settings module  plain.settings');
    assert.equal(lines[2], '  Interpreter      /projects/plain/.venv/bin/python');
    assert.match(lines[lines.length - 2], /^Next: declare the sites .* then multisite-local sites --refresh$/);
  });
});

describe('what the daemon records as tried', () => {
  it('takes Django’s settings module, else the one found in the files, and the frameworks with their versions', () => {
    const answer = djangoAnswer([]);
    assert.ok(answer.ok);
    answer.facts.frameworks = [
      { name: 'wagtail', version: '5.2.8' },
      { name: 'django.contrib.sites', version: null },
    ];
    assert.deepEqual(sitesSearch('plain.settings', answer, true, '/venv/bin/python'), {
      settingsModule: 'proj.settings',
      interpreter: '/venv/bin/python',
      frameworks: ['wagtail 5.2.8', 'django.contrib.sites'],
      djangoNotRead: null,
    });
    assert.deepEqual(sitesSearch('plain.settings', null, false, null), {
      settingsModule: 'plain.settings',
      interpreter: null,
      frameworks: null,
      djangoNotRead: 'untrusted',
    });
    assert.equal(sitesSearch(null, null, true, null).djangoNotRead, 'pending');
    const failed = sitesSearch(null, { ok: false, reason: 'boom', file: null, line: null }, true, null);
    assert.deepEqual(failed.djangoNotRead, { failure: 'boom' });
  });
});
