/**
 * What the person is told when a switch does not end in a running server:
 * cancelled because the daemon stopped (not "replaced by a newer request"),
 * and Django's own error quoted as one sentence (not "… is False..").
 * Real daemon, real CLI, real runserver.
 */
import * as assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { groupAlive } from '../../daemon/base/processGroup';
import type { ProjectState } from '../../protocol/protocol';
import { lastLine } from '../../daemon/base/sentence';
import { useFreePort } from '../support/useFreePort';
import { useSandbox } from '../support/useSandbox';
import { DEMO_SOURCE } from '../support/demoProject';
import { sleep } from '../support/processes';

/** A manage.py whose runserver never answers: the switch stays pending until something cancels it. */
const SILENT_RUNSERVER = `import os, sys, time
if sys.argv[1:2] == ["runserver"]:
    time.sleep(600)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "demo.settings")
from django.core.management import execute_from_command_line
execute_from_command_line(sys.argv)
`;

describe('messages about a switch that did not finish', function () {
  const port = useFreePort(19_600, 300);
  const sandbox = useSandbox({ requires: ['django'] });

  it('says the switch was cancelled because the daemon is shutting down', async () => {
    writeFileSync(path.join(sandbox().demo, 'manage.py'), SILENT_RUNSERVER);
    const switching = sandbox().cli(['switch', 'beta', '--port', String(port())]);
    let state: ProjectState | null = null;
    for (let tries = 0; tries < 200 && !state?.server.pid; tries++) {
      await sleep(100);
      const status = await sandbox().cli(['status', '--json']);
      state = status.code === 0 ? (JSON.parse(status.stdout) as { project: ProjectState | null }).project : null;
    }
    assert.equal(state?.server.phase, 'starting');
    const server = state?.server.pid;
    assert.ok(server);
    sandbox().startedGroups.add(server);

    assert.equal((await sandbox().cli(['daemon', 'stop'])).code, 0);
    const result = await switching;
    assert.equal(result.code, 1);
    assert.equal(lastLine(result.stderr), 'multisite-local: Serving Beta Shop was cancelled: the daemon is shutting down.');
    assert.equal(groupAlive(server), false, 'its runserver was stopped');
  });

  it("ends a sentence quoting Django's error with one period", async () => {
    copyFileSync(path.join(DEMO_SOURCE, 'manage.py'), path.join(sandbox().demo, 'manage.py'));
    const settings = path.join(sandbox().demo, 'demo', 'settings.py');
    writeFileSync(
      settings,
      readFileSync(settings, 'utf8')
        .replace('DEBUG = True', 'DEBUG = False')
        .replace(/^ALLOWED_HOSTS = .*$/m, 'ALLOWED_HOSTS = []'),
    );
    const result = await sandbox().cli(['switch', 'alpha', '--port', String(port())]);
    assert.equal(result.code, 1);
    const message = lastLine(result.stderr) ?? '';
    assert.match(message, /You must set settings\.ALLOWED_HOSTS if DEBUG is False\.$/);
    assert.doesNotMatch(message, /\.\.$/);
  });
});
