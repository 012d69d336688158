/**
 * The single-instance lock in one process: taking over stale locks (a dead pid,
 * a reused pid, a taker that died mid-takeover) and refusing live ones. Racing
 * daemons are tested with real processes in test/integration/daemonRecovery.test.ts.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { DaemonLock, holderIsLive, parseHolder } from '../../../home/daemonLock';
import { processIdentity } from '../../../home/processIdentity';
import { tempFolder } from '../../support/tempProject';

describe('the daemon lock', () => {
  let dir: string;
  let file: string;
  const children: ChildProcess[] = [];
  const me = { pid: process.pid, start: processIdentity(process.pid)?.start ?? '', command: processIdentity(process.pid)?.command ?? '' };

  beforeEach(() => {
    dir = tempFolder('lock');
    file = path.join(dir, 'daemon.lock');
  });
  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  /** A live process that is not a daemon. */
  function sleeper(): number {
    const child = spawn('sleep', ['600'], { stdio: 'ignore' });
    children.push(child);
    assert.ok(child.pid);
    return child.pid;
  }

  it('is taken when free and names its holder by pid, start time and command line', () => {
    const lock = new DaemonLock(file, me);
    assert.deepEqual(lock.acquire(), { ok: true });
    assert.deepEqual(parseHolder(readFileSync(file, 'utf8')), me);
    lock.release();
    assert.deepEqual(readdirSync(dir), []);
  });

  it('refuses a second holder while the first runs', () => {
    assert.equal(new DaemonLock(file, me).acquire().ok, true);
    assert.deepEqual(new DaemonLock(file, { pid: sleeper(), start: 'x', command: 'y' }).acquire(), { ok: false, holder: me });
  });

  it('counts a zombie (a dead process not yet reaped) as gone', async () => {
    // sh starts `sleep 1` in the background, then becomes `sleep 600`, which never reaps it. (With `sleep 0`
    // a busy machine let sh reap it before the exec: no zombie, and /proc had no entry to read.)
    const parent = spawn('sh', ['-c', 'sleep 1 & echo $!; exec sleep 600'], { stdio: ['ignore', 'pipe', 'ignore'] });
    children.push(parent);
    const zombie = Number(await new Promise<string>((resolve) => parent.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString()))));
    while (!readFileSync(`/proc/${zombie}/stat`, 'utf8').includes(') Z ')) await new Promise((resolve) => setTimeout(resolve, 20));
    writeFileSync(file, JSON.stringify({ pid: zombie, start: '', command: 'sleep' }));
    assert.deepEqual(new DaemonLock(file, me).acquire(), { ok: true });
  });

  it('takes over a lock whose pid is dead, reused by another program, or started at another time', () => {
    const foreign = sleeper();
    for (const stale of [
      JSON.stringify({ pid: 2 ** 22 + 12345, start: 'x', command: me.command }),
      String(foreign), // a lock of daemons before 0.2, naming a live pid that is not a daemon
      JSON.stringify({ pid: foreign, start: processIdentity(foreign)?.start, command: '/somewhere/dist/daemon.js' }),
      JSON.stringify({ pid: process.pid, start: 'another-boot:1', command: me.command }),
      JSON.stringify({ pid: process.pid, start: me.start, command: `${process.execPath} /somewhere/else/dist/daemon.js` }),
      'not a lock',
    ]) {
      writeFileSync(file, stale);
      assert.deepEqual(new DaemonLock(file, me).acquire(), { ok: true }, stale);
      assert.deepEqual(parseHolder(readFileSync(file, 'utf8')), me);
    }
    assert.equal(holderIsLive({ pid: foreign, start: '', command: '' }), false);
  });

  it('takes over a stale lock even when a taker died halfway through its takeover', () => {
    const stale = JSON.stringify({ pid: 2 ** 22 + 12346, start: 'x', command: me.command });
    writeFileSync(file, stale);
    const takeover = `${file}.takeover-${createHash('sha256').update(stale).digest('hex').slice(0, 16)}`;
    writeFileSync(takeover, JSON.stringify({ pid: 2 ** 22 + 12347, start: 'y', command: me.command }));
    assert.deepEqual(new DaemonLock(file, me).acquire(), { ok: true });
    assert.deepEqual(parseHolder(readFileSync(file, 'utf8')), me);
    assert.equal(
      readdirSync(dir).some((name) => name.endsWith('.tmp')),
      false,
    );
  });

  it('is taken again after someone deleted it', () => {
    const lock = new DaemonLock(file, me);
    lock.acquire();
    rmSync(file);
    assert.equal(lock.reassert(), true);
    assert.deepEqual(parseHolder(readFileSync(file, 'utf8')), me);
  });
});
