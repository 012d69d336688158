/**
 * `sites` on a project where no site was found (issue 23), through the real
 * daemon and Django: stdout says what was tried (the settings module, the
 * interpreter, the frameworks, every source) and the next step, and the exit
 * code is 3, with or without --json, so scripts can tell "nothing declared"
 * from a failure (1).
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import * as path from 'node:path';
import type { SitesResult } from '../../protocol/protocol';
import { FIXTURES } from '../support/demoProject';
import { useSandbox } from '../support/useSandbox';

describe('sites on a project where no site was found', function () {
  this.timeout(60_000);
  const sandbox = useSandbox({
    requires: ['django'],
    project: { source: path.join(FIXTURES, 'no-sites'), setup: false },
    // A venv that sees the system's Django, and no migrate: the Sites table has no row (not even example.com).
    prepare: (created) => {
      execFileSync('/usr/bin/python3', ['-m', 'venv', '--system-site-packages', '.venv'], { cwd: created.demo, stdio: 'pipe' });
    },
  });

  it('says what was tried and the next step on stdout, and exits 3', async () => {
    const listed = await sandbox().cli(['sites']);
    assert.equal(listed.code, 3, listed.stdout + listed.stderr);
    const lines = listed.stdout.trimEnd().split('\n');
    assert.equal(lines[0], `No site was found in ${sandbox().demo}. What was tried:`);
    assert.equal(lines[1], '  Settings module  plain.settings');
    assert.equal(lines[2], `  Interpreter      ${path.join(sandbox().demo, '.venv', 'bin', 'python')}`);
    assert.equal(lines[3], '  Frameworks       django.contrib.sites');
    assert.deepEqual(lines.slice(4, 7), [
      '  Looked in        DJANGO_MULTISITE_PLUS_SITES in the settings and env files',
      '  Looked in        multisite.json',
      '  Looked in        the Sites table (django.contrib.sites)',
    ]);
    assert.match(lines[7], /^Next: declare the sites in the settings \(DJANGO_MULTISITE_PLUS_SITES\) .* then multisite-local sites --refresh$/);

    const json = await sandbox().cli(['sites', '--json']);
    assert.equal(json.code, 3, json.stderr);
    const result = JSON.parse(json.stdout) as SitesResult;
    assert.deepEqual(result.sites, []);
    assert.deepEqual(result.searched, {
      settingsModule: 'plain.settings',
      interpreter: path.join(sandbox().demo, '.venv', 'bin', 'python'),
      frameworks: ['django.contrib.sites'],
      djangoNotRead: null,
    });
  });

  it('start says in one sentence that there is no site to serve, and starts nothing', async () => {
    const started = await sandbox().cli(['start']);
    assert.equal(started.code, 1, started.stdout);
    assert.equal(started.stderr, `multisite-local: ${path.basename(sandbox().demo)} declares no sites to serve.\n`);
    assert.deepEqual(sandbox().processesInDemo(), []);
  });

  it('sends to the doctor when Django cannot be read, still exiting 3', async () => {
    appendFileSync(path.join(sandbox().demo, 'plain', 'settings.py'), '\nimport multisite_local_no_such_module  # noqa\n');
    const listed = await sandbox().cli(['sites', '--refresh']);
    assert.equal(listed.code, 3, listed.stdout + listed.stderr);
    assert.match(listed.stdout, /^ {2}Frameworks {7}not known: Django’s tables were not read$/m);
    assert.match(listed.stdout, /^ {2}Looked in {8}Django’s tables \(not read: ModuleNotFoundError: No module named 'multisite_local_no_such_module'\)$/m);
    assert.match(listed.stdout, /^Next: multisite-local doctor\n {2}Django could not be read: the doctor says why and where\.$/m);
    // The warning goes to stderr, the report to stdout: a script piping stdout reads the report whole.
    assert.match(listed.stderr, /Django could not be asked for the project's sites/);
  });
});
