/**
 * site-at-import on small real project folders: the captures of the
 * project's own modules named at their file and line when one server serves
 * every site, and nothing from URLconfs, virtualenvs, installed packages,
 * migrations, tests, hidden folders or folders linked from outside; the
 * walk's bounds said when they stop it.
 */
import * as assert from 'node:assert/strict';
import { symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { CONFIG_MAX_BYTES } from '../../../../../daemon/base/configFile';
import { projectPythonFiles, projectSiteReads, siteAtImport, siteAtImportFindings } from '../../../../../daemon/doctor/checks/siteAtImport';
import { runDoctor } from '../../../../../daemon/doctor/doctor';
import type { DoctorContext } from '../../../../../daemon/doctor/doctorCheck';
import type { ServingStrategy } from '../../../../../protocol/protocol';
import { useTempProjects } from '../../../../support/tempProject';

const CAPTURE = 'from django.contrib.sites.models import Site\nCURRENT_SITE = Site.objects.get_current()\n';
const VIEWS = [
  'from django.conf import settings',
  'from django.contrib.sites.models import Site',
  '',
  'CURRENT_SITE = Site.objects.get_current()',
  '',
  'def home(request):',
  '    return settings.SITE_ID',
].join('\n');
const MODELS = ['from django.db import models', '', 'class Article(models.Model):', '    site_id = settings.SITE_ID', ''].join('\n');

/** Only what a check reads of its context. */
const contextFor = (root: string, strategy: ServingStrategy): DoctorContext => ({ root, strategy }) as unknown as DoctorContext;

describe('site-at-import', () => {
  const project = useTempProjects('site-at-import');

  it("names each capture of the project's own modules, and nothing from URLconfs, environments or what the server never imports", async () => {
    const outside = project({ 'elsewhere/views.py': CAPTURE });
    const root = project({
      'manage.py': 'import os\n',
      'newsroom/views.py': VIEWS,
      'newsroom/models.py': MODELS,
      'newsroom/urls.py': CAPTURE,
      'newsroom/routes.py': `${CAPTURE}urlpatterns = []\n`,
      'newsroom/tests.py': CAPTURE,
      'newsroom/test_views.py': CAPTURE,
      'newsroom/tests/helpers.py': CAPTURE,
      'newsroom/migrations/0001_initial.py': CAPTURE,
      'newsroom/management/commands/seed.py': CAPTURE,
      'newsroom/management/__init__.py': '',
      'newsroom/__pycache__/views.py': CAPTURE,
      'pyenv/pyvenv.cfg': 'home = /usr/bin\n',
      'pyenv/lib/python3.12/site-packages/lib.py': CAPTURE,
      'pyenv/bin/tool.py': CAPTURE,
      'conda/conda-meta/history': '',
      'conda/tool.py': CAPTURE,
      'vendor/site-packages/lib.py': CAPTURE,
      'node_modules/pkg/gyp.py': CAPTURE,
      '.hidden/module.py': CAPTURE,
      'notes.txt': CAPTURE,
    });
    symlinkSync(path.join(outside, 'elsewhere'), path.join(root, 'linked'));
    symlinkSync(path.join(outside, 'elsewhere', 'views.py'), path.join(root, 'linked_views.py'));

    const { files, complete } = await projectPythonFiles(root);
    assert.deepEqual(
      files.map((file) => path.relative(root, file)),
      ['manage.py', 'newsroom/models.py', 'newsroom/routes.py', 'newsroom/views.py', 'newsroom/management/__init__.py'],
    );
    assert.equal(complete, true);

    const findings = await siteAtImport.run(contextFor(root, 'siteIdPerRequest'));
    assert.deepEqual(
      findings.map((f) => [f.code, f.severity, f.file && path.relative(root, f.file), f.line]),
      [
        ['site-at-import', 'warning', 'newsroom/models.py', 4],
        ['site-at-import', 'warning', 'newsroom/views.py', 4],
      ],
    );
    assert.equal(
      findings[1].message,
      'newsroom/views.py:4 reads the site at import time (Site.objects.get_current()), so with one server for every site it keeps the site that was current at start on every site: read it inside the view or function that uses it (per request), or set "routing": "siteId" in multisite.json for a server per site.',
    );
    assert.match(findings[0].message, /^newsroom\/models\.py:4 reads the site at import time \(settings\.SITE_ID\), /);
  });

  it('says nothing unless one server serves every site: a server per site, or one restarted per switch, imports again', async () => {
    const root = project({ 'views.py': CAPTURE });
    for (const strategy of ['restart', 'siteId', 'host'] as const) assert.deepEqual(await siteAtImport.run(contextFor(root, strategy)), [], strategy);
    assert.equal((await siteAtImport.run(contextFor(root, 'siteIdPerRequest'))).length, 1);
  });

  it('looks anyway when one server for every site failed its self-check at start, and says that first', async () => {
    const root = project({ 'views.py': CAPTURE });
    const why = 'settings.SITE_ID was 1 in a request for news.localhost (SITE_ID 2)';
    // The session then serves a server per site: the strategy is `siteId`.
    const context: DoctorContext = { ...contextFor(root, 'siteId'), perRequestRefused: why };
    const findings = await siteAtImport.run(context);
    assert.deepEqual(
      findings.map((f) => [f.severity, f.file && path.basename(f.file), f.line]),
      [
        ['warning', null, null],
        ['warning', 'views.py', 2],
      ],
    );
    assert.equal(
      findings[0].message,
      `One server for every site failed its self-check at start (${why}), so each site is served by a server of its own: fix that, then restart the project to serve every site from one server again.`,
    );
    const clean = project({ 'views.py': 'def home(request):\n    return settings.SITE_ID\n' });
    assert.deepEqual(
      (await siteAtImport.run({ ...contextFor(clean, 'siteId'), perRequestRefused: why })).map((f) => f.message),
      [findings[0].message],
    );
  });

  it('names the first 5, and counts the rest in one more finding', async () => {
    const files = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`app/mod${i}.py`, CAPTURE]));
    const root = project(files);
    const findings = await siteAtImport.run(contextFor(root, 'siteIdPerRequest'));
    assert.deepEqual(
      findings.map((f) => f.line),
      [2, 2, 2, 2, 2, null],
    );
    const more = findings[5];
    assert.equal(more.severity, 'warning');
    assert.equal(more.file, null);
    assert.match(more.message, /^2 more lines read the site at import time \(app\/mod5\.py:2 and others\), /);
    for (const finding of findings) assert.doesNotMatch(finding.message, /[.!?]\s+[A-Z]/, 'one sentence');
  });

  it('names a sixth rather than counting it', async () => {
    const root = project(Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`mod${i}.py`, CAPTURE])));
    const findings = await siteAtImport.run(contextFor(root, 'siteIdPerRequest'));
    assert.deepEqual(
      findings.map((f) => f.file && path.basename(f.file)),
      ['mod0.py', 'mod1.py', 'mod2.py', 'mod3.py', 'mod4.py', 'mod5.py'],
    );
  });

  it("says which files configFile.ts's bounds refused, and reads the others", async () => {
    const root = project({ 'big.py': `# ${'x'.repeat(CONFIG_MAX_BYTES)}\n${CAPTURE}`, 'views.py': CAPTURE });
    const findings = await siteAtImport.run(contextFor(root, 'siteIdPerRequest'));
    assert.deepEqual(
      findings.map((f) => [f.severity, f.file && path.basename(f.file)]),
      [
        ['warning', 'views.py'],
        ['info', null],
      ],
    );
    assert.equal(findings[1].message, 'big.py was not looked at for reads of the site at import time: it is larger than 2 MB, the most a config file may be.');
  });

  it('says when a bound stopped the walk, so files not read are never said to be fine', async () => {
    const root = project({ 'a.py': CAPTURE, 'b.py': CAPTURE, 'c.py': CAPTURE });
    const bounds = { files: 2, folders: 10, bytes: 1 << 20 };
    const found = await projectSiteReads(root, bounds);
    assert.equal(found.complete, false);
    assert.deepEqual(
      found.places.map((p) => path.basename(p.file)),
      ['a.py', 'b.py'],
    );
    const stopped = siteAtImportFindings(root, found, bounds).at(-1);
    assert.equal(stopped?.severity, 'info');
    assert.match(stopped?.message ?? '', /stopped at its bounds \(2 Python files, 10 folders, 1 MB in all\)/);
    assert.equal((await projectSiteReads(root, { files: 10, folders: 10, bytes: 2 * CAPTURE.length })).complete, false);
    assert.equal((await projectSiteReads(root, { files: 10, folders: 10, bytes: 1 << 20 })).complete, true);
  });

  it('is listed as not run, with why, when the project folder cannot be listed', async () => {
    const root = path.join(project(), 'gone');
    const { findings, notRun } = await runDoctor(contextFor(root, 'siteIdPerRequest'), [siteAtImport]);
    assert.deepEqual(findings, []);
    assert.equal(notRun[0].code, 'site-at-import');
    assert.match(notRun[0].reason, /could not be listed, so its Python files were not looked at\.$/);
  });
});
