/**
 * Asking Django (issue 22), with real Python: what the run's output is made
 * of, and what a failed run says.
 * - The answer follows a marker line, after whatever the project printed; a
 *   table of thousands of Unicode domains comes in many chunks, a character
 *   split between two stays whole (`manage.py` here is a few lines printing
 *   what the script prints, so the process handling and decoding are tested).
 * - Settings that raise: the exception's last line and the project's own
 *   file and line it points at, not a frame of Django's.
 * - The real script against a real Django project (the demo): its settings,
 *   its frameworks and its Sites table rows.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { askDjango } from '../../../../daemon/sites/askDjango';
import { ASK_DJANGO_MARKER } from '../../../../daemon/sites/askDjangoScript';
import { requireComponents } from '../../../support/components';
import { copyDemo } from '../../../support/demoProject';
import { projectCodeIn } from '../../../support/projectCode';
import { tempFolder } from '../../../support/tempProject';

const SITES = 5000;

describe('asking Django', function () {
  this.timeout(60_000);
  let root: string;
  beforeEach(() => (root = tempFolder('ask-django')));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it(`finds the answer after what the project printed, every character of ${SITES.toLocaleString('en-US')} Unicode domains whole`, async () => {
    writeFileSync(
      path.join(root, 'manage.py'),
      [
        'import json, sys, time',
        'print("settings say hello")',
        `rows = [{"id": i, "domain": f"bücher-{i}.пример.example", "name": f"Bücher {i}"} for i in range(1, ${SITES + 1})]`,
        `doc = {"django": "3.2", "settings": {"SITE_ID": {"kind": "int", "value": 1}}, "sites": {"contrib": rows}}`,
        `out = ("\\n${ASK_DJANGO_MARKER}\\n" + json.dumps(doc, ensure_ascii=False) + "\\n").encode("utf-8")`,
        // Cut inside a character, with a pause between the parts: they arrive as two chunks.
        'cut = out.index("ü".encode()) + 1',
        'sys.stdout.buffer.write(out[:cut]); sys.stdout.flush(); time.sleep(0.05); sys.stdout.buffer.write(out[cut:])',
      ].join('\n'),
    );
    const read = await askDjango(projectCodeIn(root), root, '/usr/bin/python3');
    assert.ok(read.ok, read.ok ? '' : read.reason);
    assert.deepEqual(read.facts.settings.siteId, { kind: 'int', value: 1 });
    const rows = read.facts.sites.contrib ?? [];
    assert.equal(rows.length, SITES);
    for (const [i, row] of rows.entries()) assert.deepEqual(row, { id: i + 1, domain: `bücher-${i + 1}.пример.example`, name: `Bücher ${i + 1}` });
  });

  it('says what settings that raise say, and the project’s own line they point at', async function () {
    requireComponents(this, 'django');
    mkdirSync(path.join(root, 'proj'));
    writeFileSync(path.join(root, 'proj', '__init__.py'), '');
    writeFileSync(path.join(root, 'proj', 'settings.py'), 'import os\nSECRET_KEY = "x"\nDATABASE_URL = os.environ["DATABASE_URL"]\n');
    writeFileSync(
      path.join(root, 'manage.py'),
      'import os, sys\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\nfrom django.core.management import execute_from_command_line\nexecute_from_command_line(sys.argv)\n',
    );
    const env = process.env.DATABASE_URL;
    delete process.env.DATABASE_URL;
    try {
      const read = await askDjango(projectCodeIn(root), root, '/usr/bin/python3');
      assert.equal(read.ok, false);
      assert.ok(!read.ok);
      assert.equal(read.reason, "KeyError: 'DATABASE_URL'");
      assert.deepEqual([read.file, read.line], [path.join(root, 'proj', 'settings.py'), 3]);
    } finally {
      if (env !== undefined) process.env.DATABASE_URL = env;
    }
  });

  it('reads a real project’s settings, frameworks and Sites table', async function () {
    requireComponents(this, 'django');
    const demo = copyDemo();
    try {
      const read = await askDjango(projectCodeIn(root), demo, path.join(demo, '.venv', 'bin', 'python'));
      assert.ok(read.ok, read.ok ? '' : read.reason);
      const { facts } = read;
      assert.equal(facts.settingsModule, 'demo.settings');
      assert.deepEqual(facts.settings.siteId, { kind: 'absent' }, 'SITE_ID comes from the environment, which the read leaves out');
      assert.deepEqual(facts.settings.allowedHosts, ['*']);
      assert.ok(facts.settings.installedApps.includes('django.contrib.sites'));
      assert.equal(facts.settings.database.name, path.join(demo, 'db.sqlite3'));
      assert.deepEqual(
        facts.frameworks.map((f) => f.name),
        ['django.contrib.sites'],
      );
      assert.deepEqual(
        facts.sites.contrib?.map((r) => r.domain),
        ['alpha-news.example', 'beta-shop.example', 'gamma-blog.example'],
      );
      assert.deepEqual(facts.problems, []);
    } finally {
      rmSync(demo, { recursive: true, force: true });
    }
  });
});
