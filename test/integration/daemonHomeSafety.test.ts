/**
 * The daemon's home as issue 14 found it: another user's, open to everyone,
 * with links planted where the daemon writes its log. The real CLI starts the
 * real daemon; it must refuse with a sentence and write nothing through a link.
 */
import * as assert from 'node:assert/strict';
import { chmodSync, chownSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { runCli } from '../support/cli';
import { daemonsOf, stopDaemonsOf } from '../support/processes';
import { tempFolder } from '../support/tempProject';

const NOBODY = 65534;

describe("the daemon's home, when someone else could have prepared it", function () {
  let dir: string;
  let home: string;
  let victim: string;
  const env = (): NodeJS.ProcessEnv => ({ MULTISITE_LOCAL_HOME: home, MULTISITE_LOCAL_HOSTS_FILE: path.join(dir, 'hosts'), MULTISITE_LOCAL_IDLE_MS: '600000' });

  beforeEach(() => {
    dir = tempFolder('home-safety');
    home = path.join(dir, 'home');
    victim = path.join(dir, 'victim.txt');
    writeFileSync(victim, 'precious\n', { mode: 0o644 });
  });

  afterEach(async () => {
    // Any daemon a failing test let start is stopped by pid.
    await stopDaemonsOf(home);
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a home every user can write, and appends nothing through a link planted as its log', async () => {
    mkdirSync(home);
    chmodSync(home, 0o777);
    symlinkSync(victim, path.join(home, 'daemon.log'));
    const result = await runCli(['daemon', 'start'], env());
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, new RegExp(`${home.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} can be written by other users`));
    assert.equal(readFileSync(victim, 'utf8'), 'precious\n');
    assert.deepEqual(daemonsOf(home), []);
  });

  it('refuses a link planted as the log even in a private home', async () => {
    mkdirSync(home, { mode: 0o700 });
    symlinkSync(victim, path.join(home, 'daemon.log'));
    const result = await runCli(['daemon', 'start'], env());
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /daemon\.log is a symbolic link/);
    assert.equal(readFileSync(victim, 'utf8'), 'precious\n');
    assert.deepEqual(daemonsOf(home), []);
  });

  it('refuses a home owned by another user (as root: chowned to nobody)', async function () {
    if (process.getuid?.() !== 0) this.skip(); // tested without root through the pure rule (fileOwnership.test.ts)
    mkdirSync(home, { mode: 0o700 });
    chownSync(home, NOBODY, NOBODY);
    const result = await runCli(['daemon', 'start'], env());
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /is owned by user 65534/);
    assert.deepEqual(daemonsOf(home), []);
  });

  it('has clients refuse a discovery file other users can read, and serve again once it is private', async () => {
    assert.equal((await runCli(['daemon', 'start'], env())).code, 0);
    const discovery = path.join(home, 'daemon.json');
    chmodSync(discovery, 0o644);
    const refused = await runCli(['daemon', 'status'], env());
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /daemon\.json can be read by other users/);
    chmodSync(discovery, 0o600);
    assert.equal((await runCli(['daemon', 'status'], env())).code, 0);
    assert.equal((await runCli(['daemon', 'stop'], env())).code, 0);
  });
});
