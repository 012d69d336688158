/**
 * The daemon killed with SIGKILL while the project's own code hangs in a run
 * that is no server (real daemon, real Django): the demo's settings, once
 * imported, note their process group and wait forever (a service that never
 * answers), so the Django read (`manage.py shell`) of a trusted open
 * hangs. The daemon dies meanwhile; the next daemon must stop that read's
 * whole process group before it answers, and say so in its log.
 */
import * as assert from 'node:assert/strict';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DaemonHome } from '../../home/daemonHome';
import { OpenProject } from '../../protocol/protocol';
import { processIdentity } from '../../home/processIdentity';
import { groupAlive } from '../../daemon/base/processGroup';
import { addFigure } from '../support/figures';
import { waitFor } from '../support/processes';
import { useSandbox } from '../support/useSandbox';

/** Appended to the demo copy's settings: every process that imports them notes its group, then hangs. */
const HANG = [
  '',
  'import time as _time',
  'with open(os.path.join(BASE_DIR, "hanging-groups"), "a") as _noted:',
  '    _noted.write("%d\\n" % os.getpgid(0))',
  'while True:',
  '    _time.sleep(1)',
  '',
].join('\n');

describe('the daemon killed while the project code of a Sites table read hangs (real daemon, real Django)', function () {
  const sandbox = useSandbox({
    requires: ['django'],
    // Long enough that the read is still hanging when the daemon is killed, however slow the machine.
    env: { MULTISITE_LOCAL_READY_TIMEOUT_MS: '600000' },
    prepare: (s) => appendFileSync(path.join(s.demo, 'demo', 'settings.py'), HANG),
  });

  it('leaves no process of the read behind: the next daemon stops its process group and says so', async function () {
    this.timeout(60_000);
    const noted = path.join(sandbox().demo, 'hanging-groups');
    const link = await sandbox().connect();
    const daemon = link.discovery.pid;
    // Never answered: the read hangs until its daemon dies.
    const opening = link.connection.sendRequest(OpenProject.type, { root: sandbox().demo, trusted: true }).catch(() => undefined);
    /** The process groups whose settings hang now (a database probe may hang beside the read). */
    const hanging = (): number[] => (existsSync(noted) ? readFileSync(noted, 'utf8').trim().split('\n').map(Number) : []);
    const isRead = (pgid: number): boolean => /manage\.py shell/.test(processIdentity(pgid)?.command ?? '');
    await waitFor('the settings to hang in the Sites table read', () => hanging().some(isRead), 30_000);
    const groups = hanging();
    for (const pgid of groups) sandbox().startedGroups.add(pgid); // stopped by the sandbox if the test fails
    const read = groups.find(isRead) as number;

    process.kill(daemon, 'SIGKILL');
    await waitFor('the daemon to die', () => processIdentity(daemon) === null);
    link.dispose();
    await opening;
    assert.ok(groupAlive(read), 'the read outlived its daemon (the case recovery is for)');

    const next = await sandbox().cli(['daemon', 'start']);
    assert.equal(next.code, 0, next.stderr);
    assert.deepEqual(
      groups.filter((pgid) => groupAlive(pgid)),
      [],
      `the next daemon stopped the hanging group(s) ${groups.join(', ')} (the read: ${read}) before it answered`,
    );
    const log = readFileSync(new DaemonHome(sandbox().home).logFile, 'utf8');
    assert.match(log, new RegExp(`previous daemon: stopped an orphaned Django read \\(manage\\.py shell\\): process group ${read} `));
    assert.deepEqual(sandbox().processesInDemo(), [], 'no process left in the project');
    addFigure('faults injected', 1); // the kill
  });
});
