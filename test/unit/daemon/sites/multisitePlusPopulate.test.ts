/**
 * django-multisite-plus by version (issue 22): the "auto-populated" lock and
 * the empty table, as the installed version behaves. Up to 0.7.1 the app
 * wrote its sites at each start while DJANGO_MULTISITE_PLUS_AUTO_POPULATE_SITES
 * was on, so the lock holds; from 0.7.2 only `multisite_plus_populate_sites`
 * writes them, so no lock, and an empty table is said (with Populate Sites,
 * the doctor's fix). Through readSiteConfig on a small temp project with
 * Django's answer as askDjango.ts returns it.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { emptyTableFindings } from '../../../../daemon/doctor/checks/multisitePlusEmpty';
import type { DjangoRead } from '../../../../daemon/sites/askDjango';
import { populatesByCommand } from '../../../../daemon/sites/multisitePlusPopulate';
import { readSiteConfig } from '../../../../daemon/sites/siteConfig';
import { djangoAnswer } from '../../../support/djangoAnswer';
import { useTempProjects } from '../../../support/tempProject';

const MANAGE = 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n';
const SETTINGS = `
DJANGO_MULTISITE_PLUS_AUTO_POPULATE_SITES = True
DJANGO_MULTISITE_PLUS_SITES = {
    "harbour": {"id": 1, "real_domain": "harbour.example", "name": "Harbour"},
    "orchard": {"id": 2, "real_domain": "orchard.example", "name": "Orchard"},
}
`;

/** Django's answer with django-multisite-plus `version` installed and its table holding `rows` (null: not read). */
function withMultisitePlus(version: string | null, rows: Record<string, unknown>[] | null): DjangoRead {
  const read = djangoAnswer([], { multisitePlus: rows });
  if (read.ok) read.facts.frameworks.push({ name: 'django-multisite-plus', version });
  return read;
}

const ROW = { site_id: 1, slug: 'harbour', real_domain: 'harbour.example' };

describe('django-multisite-plus by version', () => {
  const temp = useTempProjects('multisite-plus', 'suite');
  let root: string;
  before(() => (root = temp({ 'manage.py': MANAGE, 'proj/settings.py': SETTINGS })));

  it('populates by command from 0.7.2 on, at start up to 0.7.1; an unknown version is unknown', () => {
    for (const version of ['0.7.2', '0.7.3', '0.8.0', '1.0', '0.7.2.post1', '0.7.2rc1', 'v0.7.2']) assert.equal(populatesByCommand(version), true, version);
    for (const version of ['0.7.1', '0.7', '0.6.3', '0.1', '0.7.1.post9']) assert.equal(populatesByCommand(version), false, version);
    for (const version of [null, '', 'unknown', 'dev']) assert.equal(populatesByCommand(version), null, String(version));
  });

  it('keeps the auto-populated lock up to 0.7.1, and where the version is not known', async () => {
    for (const django of [withMultisitePlus('0.7.1', [ROW]), withMultisitePlus('0.6.3', [ROW]), withMultisitePlus(null, [ROW]), null]) {
      const result = await readSiteConfig(root, { django });
      assert.deepEqual(
        result.sites.map((s) => [s.slug, s.autoPopulated]),
        [
          ['harbour', true],
          ['orchard', true],
        ],
        JSON.stringify(django?.ok && django.facts.frameworks),
      );
    }
  });

  it('claims no lock from 0.7.2: the app refuses AUTO_POPULATE_SITES and only a command writes the sites', async () => {
    for (const version of ['0.7.2', '0.8.0']) {
      const result = await readSiteConfig(root, { django: withMultisitePlus(version, [ROW]) });
      assert.deepEqual(
        result.sites.map((s) => [s.slug, s.autoPopulated]),
        [
          ['harbour', false],
          ['orchard', false],
        ],
        version,
      );
      assert.equal(
        result.diagnostics.find((d) => d.code === 'multisite-plus-empty'),
        undefined,
        'a table with rows is not empty',
      );
    }
  });

  it('says an empty table of 0.7.2 on the line declaring the sites, naming the commands, and the doctor offers Populate Sites', async () => {
    const result = await readSiteConfig(root, { django: withMultisitePlus('0.7.2', []) });
    const empty = result.diagnostics.filter((d) => d.code === 'multisite-plus-empty');
    assert.equal(empty.length, 1, JSON.stringify(result.diagnostics));
    assert.equal(empty[0].severity, 'warning');
    assert.equal(empty[0].file, path.join(root, 'proj', 'settings.py'));
    assert.equal(empty[0].line, 4);
    assert.match(empty[0].message, /^django-multisite-plus's table of sites is empty: Populate Sites \(`multisite-local populate`\)/);
    assert.match(empty[0].message, /`manage\.py multisite_plus_populate_sites` and `manage\.py multisite_plus_rewrite_domains`\.$/);
    const [finding, ...more] = emptyTableFindings(result.diagnostics);
    assert.deepEqual(more, []);
    assert.equal(finding.code, 'multisite-plus-empty');
    assert.deepEqual(finding.fix, { kind: 'populateSites', title: 'Populate Sites' });
  });

  it('says nothing of the table where it was not read, where the version has no commands, or without django-multisite-plus', async () => {
    for (const django of [
      withMultisitePlus('0.7.2', null),
      withMultisitePlus('0.7.1', []),
      djangoAnswer([], { multisitePlus: [] }),
      { ok: false as const, reason: 'ImproperlyConfigured: DJANGO_MULTISITE_PLUS_AUTO_POPULATE_SITES cannot be True', file: null, line: null },
    ]) {
      const result = await readSiteConfig(root, { django });
      assert.deepEqual(
        result.diagnostics.filter((d) => d.code === 'multisite-plus-empty'),
        [],
        JSON.stringify(django),
      );
    }
  });
});
