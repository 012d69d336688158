/**
 * The hosts file on mounts that refuse the usual write, with the real daemon
 * in a private mount namespace (nothing outside it sees the mounts; the
 * machine's /etc/hosts is never touched): a bind-mounted file, where rename
 * fails (EBUSY) and the file is written in place, also when the daemon is
 * killed between writing and cutting it to length; a full disk, with rename
 * and in place; a read-only file system. Each ends as its old bytes or the new
 * ones (after the next start), or with one sentence and nothing changed.
 */
import * as assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { isAlive } from '../../home/processIdentity';
import { runCli } from '../support/cli';
import type { CliResult } from '../support/cli';
import { DEMO_SOURCE } from '../support/demoProject';
import { addFigure } from '../support/figures';
import { seenBy, startDaemonInNamespace } from '../support/namespacedDaemon';
import { waitFor } from '../support/processes';
import { resume, waitStopped } from '../support/stoppedProcess';
import { tempFolder } from '../support/tempProject';
import { useSandbox } from '../support/useSandbox';

const ORIGINAL = Buffer.from('# hosts of a container\r\n127.0.0.1\tlocalhost\r\n10.0.0.7 nas.lan', 'latin1');
/** Fills a tmpfs to the last page, so that any write needing one more page fails (ENOSPC). */
const FILL = 'dd if=/dev/zero of="$1/filler" bs=4096 2>/dev/null || true';

describe('hosts file on mounts that refuse the usual write (real daemon in a private mount namespace)', function () {
  this.timeout(120_000);
  let scratch: string;
  let faults = 0;
  const sandbox = useSandbox({
    requires: ['mount-namespace'],
    project: { source: DEMO_SOURCE, setup: false },
    prepare: () => void (scratch = tempFolder('mounts')),
  });
  after(() => {
    addFigure('faults injected', faults);
    addFigure('bytes lost', 0);
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });
  afterEach(async () => {
    const pid = sandbox().daemonPid();
    if (pid !== null && isAlive(pid)) process.kill(pid, 'SIGKILL');
    await waitFor('the daemon to go', () => pid === null || !isAlive(pid) || readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z'));
    rmSync(path.join(sandbox().home, 'hosts-journal.json'), { force: true }); // each test starts from its own mounts
  });

  const cli = (args: string[]): Promise<CliResult> => runCli(args, sandbox().env, sandbox().demo);
  const inPlaceRecords = (): string[] => readdirSync(sandbox().home).filter((name) => name.includes('.in-place.'));

  it('writes a bind-mounted file in place, and the next start finishes a write killed before the file was cut to length', async () => {
    const real = path.join(scratch, 'real-hosts');
    writeFileSync(real, ORIGINAL);
    const inode = statSync(real).ino;
    const bind = ['mount --bind "$1" "$2"', [real, sandbox().hostsFile]] as const;
    let pid = await startDaemonInNamespace(sandbox(), bind[0], [...bind[1]], { MULTISITE_LOCAL_STOP_AT: 'hosts:in-place-written' });

    const applying = cli(['hosts', 'apply']);
    await waitStopped(pid, 'apply written in place');
    assert.ok(
      readFileSync(real)
        .toString('latin1')
        .startsWith(`${ORIGINAL.toString('latin1')}\r\n# >>> multisite-local `),
      'growing: already the new bytes',
    );
    resume(pid);
    assert.equal((await applying).code, 0);
    assert.equal(statSync(real).ino, inode, 'the same file: written in place');

    // Someone adds a line after our block; taking the block out then moves that line up.
    appendFileSync(real, '10.9.9.9 late.lan\r\n');
    const before = readFileSync(real);
    const expected = Buffer.concat([ORIGINAL, Buffer.from('\r\n10.9.9.9 late.lan\r\n')]);
    const removing = cli(['hosts', 'remove']);
    await waitStopped(pid, 'remove written in place, not yet cut');
    const torn = readFileSync(real);
    assert.ok(!torn.equals(before) && !torn.equals(expected), 'between the write and the cut the file is neither');
    process.kill(pid, 'SIGKILL');
    faults++;
    assert.notEqual((await removing).code, 0);
    assert.equal(inPlaceRecords().length, 3, 'the write in place is recorded in the home');

    pid = await startDaemonInNamespace(sandbox(), bind[0], [...bind[1]]);
    assert.deepEqual(readFileSync(real), expected, 'the next start finished the write, then had no block to take out');
    assert.deepEqual(inPlaceRecords(), []);
    assert.equal(statSync(real).ino, inode);
    assert.equal((await cli(['daemon', 'stop'])).code, 0);
  });

  it('refuses on a full disk in one sentence, changing nothing, by rename and in place', async () => {
    const content = path.join(scratch, 'content');
    // In place: a file one page long less a few bytes, so our block needs a page the disk no longer has.
    const nearlyAPage = Buffer.concat([ORIGINAL, Buffer.from(`\r\n#${'-'.repeat(4000 - ORIGINAL.length)}\r\n`)]);
    for (const [how, setup, bytes] of [
      ['by rename', `mount -t tmpfs -o size=64k tmpfs "$1"\ncp "$2" "$1/hosts"\n${FILL}`, ORIGINAL],
      ['in place', `mount -t tmpfs -o size=64k tmpfs "$1"\ncp "$2" "$1/real"\n: > "$1/hosts"\nmount --bind "$1/real" "$1/hosts"\n${FILL}`, nearlyAPage],
    ] as const) {
      const small = path.join(scratch, `small-${how.replace(' ', '-')}`);
      mkdirSync(small);
      writeFileSync(content, bytes);
      const hosts = path.join(small, 'hosts');
      const pid = await startDaemonInNamespace(sandbox(), setup, [small, content], { MULTISITE_LOCAL_HOSTS_FILE: hosts });
      const result = await runCli(['hosts', 'apply'], { ...sandbox().env, MULTISITE_LOCAL_HOSTS_FILE: hosts }, sandbox().demo);
      faults++;
      assert.equal(result.code, 1, how);
      assert.match(
        result.stderr,
        new RegExp(`No space is left on the disk holding ${small}, so ${hosts} was not changed; free some space and try again\\.\\n$`),
        how,
      );
      const file = how === 'in place' ? path.join(small, 'real') : hosts;
      assert.deepEqual(readFileSync(seenBy(pid, file)), bytes, `${how}: not a byte changed`);
      assert.deepEqual(readdirSync(seenBy(pid, small)).sort(), how === 'in place' ? ['filler', 'hosts', 'real'] : ['filler', 'hosts'], 'no temp file left');
      assert.deepEqual(inPlaceRecords(), []);
      assert.equal((await runCli(['daemon', 'stop'], sandbox().env, sandbox().demo)).code, 0);
    }
  });

  it('refuses a read-only file system in one sentence, changing nothing', async () => {
    const folder = path.join(scratch, 'read-only');
    mkdirSync(folder);
    const hosts = path.join(folder, 'hosts');
    writeFileSync(hosts, ORIGINAL);
    await startDaemonInNamespace(sandbox(), 'mount --bind "$1" "$1"\nmount -o remount,ro,bind "$1"', [folder], { MULTISITE_LOCAL_HOSTS_FILE: hosts });
    const result = await runCli(['hosts', 'apply'], { ...sandbox().env, MULTISITE_LOCAL_HOSTS_FILE: hosts }, sandbox().demo);
    faults++;
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      new RegExp(
        `${hosts} is on a read-only file system, so nothing was changed; choose another hosts file \\(--hosts-file or the multisiteLocal\\.hostsFile setting\\)\\.\\n$`,
      ),
    );
    assert.deepEqual(readFileSync(hosts), ORIGINAL);
    assert.deepEqual(readdirSync(folder), ['hosts']);
  });
});
