/**
 * The doctor's live-schema probes judged by how `manage.py` ended, with a real
 * Python running stand-in manage.py files (the journaled runs of projectCode.ts).
 */
import * as assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { modelsAhead, readApplied } from '../../../../daemon/sharedDb/liveSchema';
import { projectCodeIn } from '../../../support/projectCode';
import { tempFolder } from '../../../support/tempProject';

const PYTHON = '/usr/bin/python3';

describe('the live-schema probes (real Python, stand-in manage.py)', function () {
  this.timeout(20_000);
  let dir: string;
  const manage = (body: string): void => writeFileSync(path.join(dir, 'manage.py'), `import os, sys, time\n${body}\n`);

  beforeEach(() => (dir = tempFolder('live-schema')));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('counts models ahead only when makemigrations --check itself exits 1', async () => {
    manage('sys.exit(1)');
    assert.equal(await modelsAhead(projectCodeIn(dir), PYTHON, dir), true);
    manage('sys.exit(0)');
    assert.equal(await modelsAhead(projectCodeIn(dir), PYTHON, dir), false);
  });

  it('does not count a makemigrations stopped on its timeout, killed, or never started as models ahead', async () => {
    manage('time.sleep(30)');
    assert.equal(await modelsAhead(projectCodeIn(dir), PYTHON, dir, 300), false);
    manage('import signal; os.kill(os.getpid(), signal.SIGKILL)');
    assert.equal(await modelsAhead(projectCodeIn(dir), PYTHON, dir), false);
    assert.equal(await modelsAhead(projectCodeIn(dir), path.join(dir, 'no-python'), dir), false);
  });

  it('says why the applied migrations could not be read: its last line, else how it ended', async () => {
    manage('sys.stderr.write("django.db.utils.OperationalError: no such table\\n"); sys.exit(1)');
    assert.equal(((await readApplied(projectCodeIn(dir), PYTHON, dir)) as Error).message, 'django.db.utils.OperationalError: no such table');
    manage('time.sleep(30)');
    assert.equal(((await readApplied(projectCodeIn(dir), PYTHON, dir, 1000)) as Error).message, 'manage.py shell timed out after 1 s');
  });
});
