/**
 * The daemon killed with SIGKILL between spawning runserver and journaling it
 * (real daemon, real runserver): stopped there by the MULTISITE_LOCAL_STOP_AT
 * debug knob, then killed. The journal cannot name that server, so it must not
 * be able to outlive the daemon: nothing of it may be left running.
 */
import * as assert from 'node:assert/strict';
import { isAlive, processIdentity } from '../../home/processIdentity';
import { groupAlive } from '../../daemon/base/processGroup';
import { addFigure } from '../support/figures';
import { sleep, waitFor } from '../support/processes';
import { childrenOf } from '../support/processTree';
import { waitStopped } from '../support/stoppedProcess';
import { useFreePort } from '../support/useFreePort';
import { useSandbox } from '../support/useSandbox';

describe('the daemon killed between spawning runserver and journaling it (real daemon, real runserver)', function () {
  const port = useFreePort(23_500);
  const sandbox = useSandbox({ requires: ['django'], env: { MULTISITE_LOCAL_STOP_AT: 'runserver:spawned', MULTISITE_LOCAL_WARM_SITES: '0' } });

  it('leaves no server behind: the spawned process never becomes a runserver nobody recorded', async function () {
    this.timeout(60_000);
    assert.equal((await sandbox().cli(['daemon', 'start'])).code, 0);
    const daemon = sandbox().daemonPid();
    assert.ok(daemon);
    const switching = sandbox().cli(['switch', 'alpha', '--port', String(port())]);
    await waitStopped(daemon, 'the daemon at runserver:spawned');
    const spawned = childrenOf(daemon).filter((pid) => processIdentity(pid)?.command.includes('manage.py runserver'));
    assert.equal(spawned.length, 1, 'one runserver was spawned');
    sandbox().startedGroups.add(spawned[0]); // stopped by the sandbox if the test fails

    process.kill(daemon, 'SIGKILL');
    while (isAlive(daemon)) await sleep(50);
    await switching; // fails: its daemon is gone
    assert.equal((await sandbox().cli(['daemon', 'start'])).code, 0, 'the next daemon recovers what the journal names');
    await waitFor(`process group ${spawned[0]} to end`, () => !groupAlive(spawned[0]));
    assert.deepEqual(sandbox().processesInDemo(), []);
    addFigure('faults injected', 1);
  });
});
