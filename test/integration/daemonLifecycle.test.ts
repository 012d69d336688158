/**
 * The daemon as a process: who may talk to it, one instance per home, idle
 * exit, and recovery after a crash (orphaned servers are stopped).
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { upgradeStatus } from '../support/http';
import * as path from 'node:path';
import { readDiscovery } from '../../home/discovery';
import { DaemonHome } from '../../home/daemonHome';
import { choosePort } from '../../daemon/runners/freePort';
import { groupAlive } from '../../daemon/base/processGroup';
import { isAlive } from '../../home/processIdentity';
import type { SwitchResult } from '../../protocol/protocol';
import { DaemonSandbox } from '../support/daemonSandbox';
import { useSandbox } from '../support/useSandbox';
import { tempFolder } from '../support/tempProject';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('the daemon process', function () {
  const sandbox = useSandbox({ requires: ['django'] });

  it('refuses connections without the token, from browsers, or for another Host', async () => {
    assert.equal((await sandbox().cli(['daemon', 'start'])).code, 0);
    const discovery = readDiscovery(new DaemonHome(sandbox().home));
    assert.ok(discovery);
    const host = `127.0.0.1:${discovery.port}`;
    const auth = `Bearer ${discovery.token}`;
    assert.equal(await upgradeStatus(discovery.port, { Host: host, Authorization: auth }), 101);
    assert.equal(await upgradeStatus(discovery.port, { Host: host }), 401);
    assert.equal(await upgradeStatus(discovery.port, { Host: host, Authorization: 'Bearer wrong' }), 401);
    assert.equal(await upgradeStatus(discovery.port, { Host: host, Authorization: auth, Origin: 'http://evil.example' }), 403);
    assert.equal(await upgradeStatus(discovery.port, { Host: `rebound.example:${discovery.port}`, Authorization: auth }), 403);
  });

  it('runs one instance per home even when clients start it at the same time', async () => {
    assert.equal((await sandbox().cli(['daemon', 'stop'])).code, 0);
    const results = await Promise.all([1, 2, 3, 4].map(() => sandbox().cliJson<{ pid: number }>(['daemon', 'start'])));
    assert.equal(new Set(results.map((r) => r.pid)).size, 1);
  });

  it('stops the servers of a crashed daemon when the next one starts', async () => {
    const port = await choosePort(19_000 + (process.pid % 1000));
    const switched = await sandbox().cliJson<SwitchResult>(['switch', 'beta', '--port', String(port)]);
    const status = await sandbox().cliJson<{ server: { pid: number } }>(['status']);
    const serverGroup = status.server.pid;
    sandbox().startedGroups.add(serverGroup);
    assert.ok(switched.url);
    const crashed = sandbox().daemonPid();
    assert.ok(crashed);
    process.kill(crashed, 'SIGKILL');
    await waitFor('the daemon to die', () => !isAlive(crashed));
    assert.ok(groupAlive(serverGroup), 'the orphaned server outlives its daemon');

    const info = await sandbox().cliJson<{ pid: number }>(['daemon', 'start']);
    assert.notEqual(info.pid, crashed);
    await waitFor('the orphan to be stopped', () => !groupAlive(serverGroup));
    assert.deepEqual(sandbox().processesInDemo(), []);
  });

  it('exits by itself when idle, removing its discovery and lock files', async () => {
    const idle = new DaemonSandbox({ MULTISITE_LOCAL_IDLE_MS: '300' });
    try {
      const { pid } = await idle.cliJson<{ pid: number }>(['daemon', 'start']);
      await waitFor('the idle daemon to exit', () => !isAlive(pid));
      assert.equal(existsSync(path.join(idle.home, 'daemon.json')), false);
      assert.equal(existsSync(path.join(idle.home, 'daemon.lock')), false);
    } finally {
      await idle.dispose();
    }
  });

  it('explains which interpreters it tried when none can import Django', async () => {
    const bare = tempFolder('novenv');
    // A virtualenv without Django, and a PATH on which no python exists.
    execFileSync('/usr/bin/python3', ['-m', 'venv', '--without-pip', path.join(bare, 'env')]);
    const emptyBin = path.join(bare, 'bin');
    const noDjango = new DaemonSandbox({ VIRTUAL_ENV: path.join(bare, 'env'), PATH: emptyBin });
    try {
      rmSync(path.join(noDjango.demo, '.venv'), { recursive: true, force: true });
      const result = await noDjango.cli(['switch', 'alpha']);
      assert.equal(result.code, 1);
      const message = result.stderr.trim().split('\n').pop() ?? '';
      assert.match(message, /No Python interpreter for .* can import Django \(tried /);
      assert.match(message, /\.venv\/bin\/python \(\.venv: not found\)/);
      assert.match(message, /env\/bin\/python \(\$VIRTUAL_ENV: cannot import django\)/);
      assert.match(message, /python3 \(PATH: not found\)/);
      const status = await noDjango.cliJson<{ server: { phase: string; error: string } }>(['status']);
      assert.equal(status.server.phase, 'failed');
    } finally {
      await noDjango.dispose();
      rmSync(bare, { recursive: true, force: true });
    }
  });
});
