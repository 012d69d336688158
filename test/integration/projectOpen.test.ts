/**
 * Opening a project (real daemon, real CLI, real Django): the Sites table is
 * asked of Django (`manage.py shell`) once per open project, on `sites
 * --refresh` and when the database or migrations change, never by the
 * commands that follow; a folder that cannot be opened leaves no project behind.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { choosePort } from '../../daemon/runners/freePort';
import type { ProjectState } from '../../protocol/protocol';
import { useSandbox } from '../support/useSandbox';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('opening a project (real daemon, real manage.py)', function () {
  let counter: string;
  const sandbox = useSandbox({
    requires: ['django'],
    prepare: (created) => {
      counter = path.join(created.home, 'django-reads.txt');
      writeFileSync(counter, '');
      // A manage.py that counts the runs that ask Django (manage.py shell), before the project is first opened.
      const manage = path.join(created.demo, 'manage.py');
      const counting = `import sys as _sys\nif _sys.argv[1:2] == ["shell"]:\n    with open(${JSON.stringify(counter)}, "a") as _f:\n        _f.write("read\\n")\n`;
      writeFileSync(manage, counting + readFileSync(manage, 'utf8'));
    },
  });

  /** How many times Django was asked so far. */
  const dumps = (): number => readFileSync(counter, 'utf8').split('\n').filter(Boolean).length;

  async function dumpsReach(n: number): Promise<number> {
    const deadline = Date.now() + 20_000;
    while (dumps() < n && Date.now() < deadline) await sleep(100);
    await sleep(500); // a second read, if any, would show up now
    return dumps();
  }

  it('reads the Sites table once per open, not for later commands', async () => {
    const sites = await sandbox().cli(['sites']);
    assert.equal(sites.code, 0, sites.stderr);
    assert.equal(dumps(), 1);
    const port = String(await choosePort(19_000 + (process.pid % 1000)));
    for (const args of [
      ['status'],
      ['sites'],
      ['switch', 'alpha', '--port', port],
      ['mode', 'env'],
      ['hosts', 'apply', '--dry-run'],
      ['switch', 'beta', '--port', port],
      ['stop'],
      ['status'],
    ]) {
      const result = await sandbox().cli(args);
      assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
      assert.equal(dumps(), 1, `${args.join(' ')} asked Django again`);
      const pid = (await sandbox().cliJson<{ server: ProjectState['server'] | null }>(['status'])).server?.pid;
      if (pid) sandbox().startedGroups.add(pid);
    }
  });

  it('reads it again on sites --refresh', async () => {
    const result = await sandbox().cli(['sites', '--refresh']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(dumps(), 2);
  });

  it('reads it again when the database file changes', async () => {
    // Rename a site the way the admin would: a write to the SQLite file.
    const sql = "import sqlite3; c = sqlite3.connect('db.sqlite3'); c.execute(\"update django_site set name = 'Alpha Renamed' where id = 1\"); c.commit()";
    execFileSync('/usr/bin/python3', ['-c', sql], { cwd: sandbox().demo });
    assert.equal(await dumpsReach(3), 3);
    assert.equal((await sandbox().cli(['status'])).code, 0);
    assert.equal(dumps(), 3);
  });

  it('reads it again when a migration is added', async () => {
    const migration =
      "from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n    dependencies = [('demo', '0001_demo_sites')]\n    operations = []\n";
    mkdirSync(path.join(sandbox().demo, 'demo', 'migrations'), { recursive: true });
    writeFileSync(path.join(sandbox().demo, 'demo', 'migrations', '0002_nothing.py'), migration);
    assert.equal(await dumpsReach(4), 4);
  });

  it('leaves no project in status when opening a folder fails', async () => {
    const notAProject = path.join(sandbox().home, 'not-a-project');
    mkdirSync(notAProject);
    const result = await sandbox().cli(['sites', '--project', notAProject]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /has no manage\.py/);
    const status = await sandbox().cliJson<{ projects: ProjectState[] }>(['status']);
    assert.deepEqual(
      status.projects.map((p) => p.project.root),
      [sandbox().demo],
    );
  });
});
