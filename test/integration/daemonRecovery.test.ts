/**
 * The daemon after accidents: killed with SIGKILL (its lock left behind, its
 * pid possibly a zombie), a lock naming a live process that is not a daemon,
 * clients racing to start it, a journal naming a process group that is not
 * ours, and its discovery file deleted under it. Real daemon, real CLI.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { groupAlive } from '../../daemon/base/processGroup';
import { processIdentity } from '../../home/processIdentity';
import { DEMO_SOURCE } from '../support/demoProject';
import { useSandbox } from '../support/useSandbox';
import { daemonsOf, sleep, waitFor } from '../support/processes';

interface DaemonInfo {
  pid: number;
}

describe('the daemon after a crash', function () {
  const children: ChildProcess[] = [];
  // No project is served here: the demo copy needs no virtualenv.
  const sandbox = useSandbox({ project: { source: DEMO_SOURCE, setup: false } });
  afterEach(() => {
    for (const child of children.splice(0)) if (child.pid && groupAlive(child.pid)) process.kill(-child.pid, 'SIGKILL');
  });

  const lockFile = (): string => path.join(sandbox().home, 'daemon.lock');

  async function start(): Promise<DaemonInfo> {
    const result = await sandbox().cli(['daemon', 'start', '--json']);
    assert.equal(result.code, 0, result.stderr || result.stdout);
    return JSON.parse(result.stdout) as DaemonInfo;
  }

  /** A process group of its own whose command line is `args` (after node). */
  function spawnGroup(args: string[]): number {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 600000)', ...args], { detached: true, stdio: 'ignore' });
    children.push(child);
    assert.ok(child.pid);
    return child.pid;
  }

  it('starts again at once after SIGKILL, twenty times, leaving one daemon', async () => {
    let { pid } = await start();
    const times: number[] = [];
    for (let round = 0; round < 20; round++) {
      process.kill(pid, 'SIGKILL');
      await sleep((round % 5) * 50); // 0 to 200 ms after the kill
      const started = Date.now();
      const next = await start();
      times.push(Date.now() - started);
      assert.notEqual(next.pid, pid);
      assert.equal(processIdentity(pid), null, 'the killed daemon is gone (or only a zombie)');
      pid = next.pid;
    }
    assert.deepEqual(daemonsOf(sandbox().home), [pid]);
    console.log(`      daemon start after kill -9 (ms): ${times.join(' ')}`);
  });

  it('takes over a lock naming a live process that is not our daemon, or a zombie', async () => {
    assert.equal((await sandbox().cli(['daemon', 'stop'])).code, 0);
    const foreign = spawnGroup([]);
    // sh starts `sleep 0` in the background and becomes `sleep 600`, which never reaps it: a zombie.
    const parent = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 600'], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
    children.push(parent);
    const zombie = Number(await new Promise<string>((resolve) => parent.stdout?.once('data', (chunk: Buffer) => resolve(chunk.toString()))));
    await waitFor('the zombie', () => processIdentity(zombie) === null);
    const planted: [string, string][] = [
      ['a live pid that is not a daemon (the lock format before 0.2)', String(foreign)],
      [
        'a live pid that is not a daemon, with its start time',
        JSON.stringify({
          pid: foreign,
          start: processIdentity(foreign)?.start,
          command: `${process.execPath} ${path.join(sandbox().home, 'dist', 'daemon.js')}`,
        }),
      ],
      ['a zombie', String(zombie)],
    ];
    for (const [what, lock] of planted) {
      writeFileSync(lockFile(), lock);
      const started = Date.now();
      const { pid } = await start();
      console.log(`      daemon start over a lock naming ${what}: ${Date.now() - started} ms`);
      assert.notEqual(pid, foreign);
      assert.ok(processIdentity(foreign), 'the foreign process is left alone');
      assert.equal((await sandbox().cli(['daemon', 'stop'])).code, 0);
    }
  });

  it('runs exactly one daemon when six clients start it over a stale lock at once, every time', async () => {
    for (let round = 0; round < 6; round++) {
      const { pid } = await start();
      process.kill(pid, 'SIGKILL');
      const results = await Promise.all([1, 2, 3, 4, 5, 6].map(() => sandbox().cli(['daemon', 'start', '--json'])));
      for (const result of results) assert.equal(result.code, 0, result.stderr || result.stdout);
      const pids = new Set(results.map((r) => (JSON.parse(r.stdout) as DaemonInfo).pid));
      assert.equal(pids.size, 1, `round ${round}: clients reached daemons ${[...pids].join(', ')}`);
      const [winner] = pids;
      // The losers exit as soon as they see the lock taken; a second listening daemon never would.
      await waitFor(`round ${round}: only daemon ${winner} left`, () => daemonsOf(sandbox().home).join() === String(winner));
    }
  });

  it("leaves alone a journaled process group whose leader's start time differs (a user's own runserver)", async () => {
    assert.equal((await sandbox().cli(['daemon', 'stop'])).code, 0);
    const users = spawnGroup(['manage.py', 'runserver']);
    const legacy = spawnGroup(['manage.py', 'runserver']);
    const ours = spawnGroup(['manage.py', 'runserver']);
    const entry = (pgid: number, start?: string): object => ({ pgid, root: sandbox().demo, marker: 'manage.py runserver', start });
    writeFileSync(
      path.join(sandbox().home, 'processes.json'),
      JSON.stringify([entry(users, 'another-boot:12345'), entry(legacy), entry(ours, processIdentity(ours)?.start)]),
    );
    await start(); // reconciles the journal before it listens
    assert.ok(groupAlive(users), "the user's group with the reused pgid survives");
    assert.ok(groupAlive(legacy), 'an entry without a start time proves nothing and is left alone');
    assert.equal(groupAlive(ours), false, 'the group whose start time matches is stopped');
  });

  it('writes its discovery file and lock again when they are deleted, and can be stopped meanwhile', async () => {
    const { pid } = await start();
    rmSync(path.join(sandbox().home, 'daemon.json'));
    rmSync(lockFile());
    await waitFor('the files to be written again', () => existsSync(lockFile()) && existsSync(path.join(sandbox().home, 'daemon.json')));
    assert.equal((await start()).pid, pid, 'clients find the same daemon, none starts a second one');
    assert.deepEqual(daemonsOf(sandbox().home), [pid]);

    rmSync(path.join(sandbox().home, 'daemon.json'));
    const stopped = await sandbox().cli(['daemon', 'stop', '--json']); // at once: found through the lock if need be
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.deepEqual(JSON.parse(stopped.stdout), { stopped: true, pid });
    assert.equal(processIdentity(pid), null);
  });
});
