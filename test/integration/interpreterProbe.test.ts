/**
 * The interpreter probe is project code (real daemon, real Python): a
 * virtualenv's `.pth` files run at every start of its interpreter, so the
 * probe (`python -c "import django"`) runs whatever the project put there.
 * Here a `.pth` of the demo copy's .venv starts a long-lived process when it
 * sees the probe's command line, and may then hang. The probe must be a
 * journaled run of its own process group like every other run of the
 * project's code: what it started is gone once it ended, and when the daemon
 * is killed while it hangs, the next daemon's recovery stops its whole group.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { DaemonHome } from '../../home/daemonHome';
import { OpenProject } from '../../protocol/protocol';
import { isAlive, processIdentity } from '../../home/processIdentity';
import { groupAlive } from '../../daemon/base/processGroup';
import { addFigure } from '../support/figures';
import { waitFor } from '../support/processes';
import { useSandbox } from '../support/useSandbox';

/** Run by the .pth at every start of the venv's Python: only the probe's starts a sleeper (noting its group and pid), and hangs when told. */
const MODULE = (notes: string, hangFlag: string): string =>
  [
    'import os, subprocess, sys, time',
    'if "import django; print(django.get_version())" in sys.orig_argv:',
    '    sleeper = subprocess.Popen(["/bin/sleep", "600"])',
    `    with open(${JSON.stringify(notes)}, "a") as noted:`,
    '        noted.write("%d %d\\n" % (os.getpgid(0), sleeper.pid))',
    `    while os.path.exists(${JSON.stringify(hangFlag)}):`,
    '        time.sleep(1)',
    '',
  ].join('\n');

describe('the interpreter probe runs as journaled project code (real daemon, real Python)', function () {
  let notes = '';
  let hangFlag = '';
  const sleepers = new Set<number>();
  const sandbox = useSandbox({
    requires: ['django'],
    prepare: (s) => {
      notes = path.join(s.demo, 'probe-notes');
      hangFlag = path.join(s.demo, 'probe-hangs');
      const lib = path.join(s.demo, '.venv', 'lib');
      const sitePackages = path.join(lib, readdirSync(lib).find((name) => name.startsWith('python')) as string, 'site-packages');
      writeFileSync(path.join(sitePackages, 'probe_sleeper.py'), MODULE(notes, hangFlag));
      writeFileSync(path.join(sitePackages, 'probe_sleeper.pth'), 'import probe_sleeper\n');
    },
    beforeDispose: () => {
      rmSync(hangFlag, { force: true });
      for (const pid of sleepers) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
      return Promise.resolve();
    },
  });

  /** The probes noted so far: their process group and the sleeper each started (stopped by the suite if a test fails). */
  const noted = (): { pgid: number; sleeper: number }[] => {
    const probes = existsSync(notes)
      ? readFileSync(notes, 'utf8')
          .trim()
          .split('\n')
          .map((line) => line.split(' ').map(Number))
          .map(([pgid, sleeper]) => ({ pgid, sleeper }))
      : [];
    for (const probe of probes) sleepers.add(probe.sleeper);
    return probes;
  };

  it('leaves nothing running once the probe ended: what it started is stopped with its group', async function () {
    this.timeout(60_000);
    const listed = await sandbox().cli(['sites']);
    assert.equal(listed.code, 0, listed.stderr);
    const [probe] = noted();
    assert.ok(probe, 'the probe ran the .pth (and started its sleeper)');
    assert.notEqual(probe.pgid, sandbox().daemonPid(), "the probe ran in the daemon's own process group");
    await waitFor('the sleeper the probe started to be stopped', () => !isAlive(probe.sleeper), 5_000).catch(() => undefined);
    assert.equal(isAlive(probe.sleeper), false, `the sleeper ${probe.sleeper} the probe started outlived it`);
    assert.equal(groupAlive(probe.pgid), false);
    addFigure('attacks tried', 1);
  });

  it('the daemon killed while the probe hangs: the next daemon stops its whole group and says so', async function () {
    this.timeout(60_000);
    assert.equal((await sandbox().cli(['daemon', 'stop'])).code, 0); // the next daemon probes again
    rmSync(notes, { force: true });
    writeFileSync(hangFlag, '');
    const link = await sandbox().connect();
    const daemon = link.discovery.pid;
    // Never answered: the probe hangs until its daemon dies.
    const opening = link.connection.sendRequest(OpenProject.type, { root: sandbox().demo, trusted: true }).catch(() => undefined);
    await waitFor('the probe to start its sleeper and hang', () => noted().length > 0, 30_000);
    const [probe] = noted();
    sandbox().startedGroups.add(probe.pgid);

    process.kill(daemon, 'SIGKILL');
    await waitFor('the daemon to die', () => processIdentity(daemon) === null);
    link.dispose();
    await opening;
    assert.ok(isAlive(probe.sleeper), 'the sleeper outlived its daemon (the case recovery is for)');

    const next = await sandbox().cli(['daemon', 'start']);
    assert.equal(next.code, 0, next.stderr);
    assert.equal(groupAlive(probe.pgid), false, `the next daemon stopped the probe's process group ${probe.pgid} before it answered`);
    assert.equal(isAlive(probe.sleeper), false, `the sleeper ${probe.sleeper} the probe started outlived the next daemon's recovery`);
    const log = readFileSync(new DaemonHome(sandbox().home).logFile, 'utf8');
    assert.match(log, new RegExp(`previous daemon: stopped an orphaned interpreter probe \\([^)]*\\.venv/bin/python\\): process group ${probe.pgid} `));
    rmSync(hangFlag);
    assert.deepEqual(sandbox().processesInDemo(), [], 'no process left in the project');
    addFigure('faults injected', 1); // the kill
  });
});
