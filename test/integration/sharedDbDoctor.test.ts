/**
 * The schema guard with the real daemon and CLI, on copies of the demo:
 * `doctor --project A --project B` compares their migrations; a migration
 * added to one copy is `shared-db-drift` naming the projects, app and
 * migration (exit 1); multisite.json's `sharedDatabase` names the other copy
 * without flags; and two open projects whose settings resolve to one sqlite
 * file are found to share it by the daemon's database probe.
 */
import * as assert from 'node:assert/strict';
import { rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { DoctorFinding, DoctorReport } from '../../protocol/protocol';
import { copyDemo } from '../support/demoProject';
import { useSandbox } from '../support/useSandbox';

describe('doctor on projects sharing a database (real daemon, real Django)', function () {
  let other = '';
  const sandbox = useSandbox({
    requires: ['django'],
    prepare: () => {
      other = copyDemo();
    },
  });
  after(() => rmSync(other, { recursive: true, force: true }));

  async function doctor(args: string[], cwd?: string): Promise<{ code: number; drift: DoctorFinding | undefined }> {
    const result = await sandbox().cli(['doctor', ...args, '--json'], cwd);
    assert.ok(result.code === 0 || result.code === 1, `exit ${result.code}: ${result.stderr}${result.stdout}`);
    const report = JSON.parse(result.stdout) as DoctorReport;
    return { code: result.code, drift: report.findings.find((f) => f.code === 'shared-db-drift') };
  }

  it('compares the migrations of the projects named, and names the app and migration that differ', async () => {
    const same = await doctor(['--project', sandbox().demo, '--project', other]);
    assert.equal(same.drift, undefined);
    assert.equal(same.code, 0);

    writeFileSync(
      path.join(other, 'demo', 'migrations', '0002_price.py'),
      'from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n    dependencies = [("demo", "0001_demo_sites")]\n    operations = []\n',
    );
    const drift = await doctor(['--project', sandbox().demo, '--project', other]);
    assert.equal(drift.code, 1);
    assert.equal(drift.drift?.severity, 'error');
    assert.deepEqual(drift.drift?.projects, [path.basename(sandbox().demo), path.basename(other)]);
    assert.deepEqual(drift.drift?.apps, ['demo']);
    assert.deepEqual(drift.drift?.migrations, ['demo.0002_price']);
    assert.match(drift.drift?.message ?? '', new RegExp(`demo\\.0002_price is missing in ${path.basename(sandbox().demo)}`));
  });

  it('takes the other project from multisite.json, and finds it by the database both settings resolve to', async () => {
    // Declared: multisite.json's sharedDatabase, relative to the project.
    const json = path.join(sandbox().demo, 'multisite.json');
    writeFileSync(json, JSON.stringify({ sharedDatabase: [path.relative(sandbox().demo, other)] }));
    assert.deepEqual((await doctor([])).drift?.migrations, ['demo.0002_price']);
    rmSync(json);
    assert.equal((await doctor([])).drift, undefined, 'nothing declared and nothing open on the same database');

    // Found: the other copy's database file is the demo's (a link), and both are open in the daemon.
    rmSync(path.join(other, 'db.sqlite3'));
    symlinkSync(path.join(sandbox().demo, 'db.sqlite3'), path.join(other, 'db.sqlite3'));
    const opened = await sandbox().cli(['sites', '--json'], other);
    assert.equal(opened.code, 0, opened.stderr);
    assert.deepEqual((await doctor([])).drift?.projects, [path.basename(sandbox().demo), path.basename(other)]);
  });

  it('refuses --project more than once for any other command, changing nothing', async () => {
    const result = await sandbox().cli(['status', '--project', sandbox().demo, '--project', other]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /Only doctor takes --project more than once/);
  });
});
