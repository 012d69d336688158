/**
 * The hosts file under faults, with the real daemon and CLI: the daemon is
 * stopped at each step of a write by its MULTISITE_LOCAL_STOP_AT debug knob,
 * then killed there (SIGKILL), or the file is changed under it before it goes
 * on. Whatever the step, the file is its old bytes or its new ones, the backup
 * holds the old ones, and the next start puts the original bytes back and
 * leaves no temp file beside the hosts file. Another program's edit made while
 * the daemon writes is kept; a file swapped for a link or a folder while the
 * daemon writes, a read-only file, a link to a folder, a link loop and a
 * missing folder are refused in one sentence, with nothing changed.
 */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { STEPS } from '../../daemon/base/debugStop';
import type { Step } from '../../daemon/base/debugStop';
import { isAlive } from '../../home/processIdentity';
import { runCli } from '../support/cli';
import type { CliResult } from '../support/cli';
import { DEMO_SOURCE } from '../support/demoProject';
import { addFigure } from '../support/figures';
import { sleep, waitFor } from '../support/processes';
import { isStopped, resume, waitStopped } from '../support/stoppedProcess';
import { useSandbox } from '../support/useSandbox';

/** CRLF, bytes that are not UTF-8, no final newline: every byte must come back. */
const ORIGINAL = Buffer.from('# hosts of a test machine\r\n127.0.0.1\tlocalhost\r\n# caf\xe9\r\n10.0.0.7 nas.lan', 'latin1');
/** The steps of a write by rename, in order (in place is tested in hostsMounts.test.ts). */
const RENAME_STEPS = STEPS.filter((s) => s !== 'hosts:in-place-written');

describe('hosts file faults (real daemon, stopped and killed at each step of a write)', function () {
  this.timeout(120_000);
  // Nothing is served: the demo copy needs no virtualenv.
  const sandbox = useSandbox({ project: { source: DEMO_SOURCE, setup: false } });
  let faults = 0;
  /** The file with the demo's block, as this sandbox's daemon writes it. */
  let applied: Buffer;
  after(() => addFigure('faults injected', faults));

  const hostsFile = (): string => sandbox().hostsFile;
  const backupFile = (): string => path.join(sandbox().home, `hosts-backup-${createHash('sha256').update(hostsFile()).digest('hex').slice(0, 8)}`);
  const journal = (): unknown => JSON.parse(readFileSync(path.join(sandbox().home, 'hosts-journal.json'), 'utf8'));
  const tempFiles = (): string[] => readdirSync(path.dirname(hostsFile())).filter((name) => name.includes('.multisite-local-'));
  const cli = (args: string[], stopAt = ''): Promise<CliResult> => runCli(args, { ...sandbox().env, MULTISITE_LOCAL_STOP_AT: stopAt }, sandbox().demo);

  /** Kills this sandbox's daemon if one runs (a daemon stopped at a step could not even be asked to stop). */
  async function killDaemon(): Promise<void> {
    const pid = sandbox().daemonPid();
    if (pid !== null && isAlive(pid)) await kill(pid);
  }

  /** No daemon running, the original file, and nothing journaled: a daemon started and stopped without the knob undoes what is left. */
  async function freshStart(content = ORIGINAL): Promise<void> {
    await killDaemon();
    writeFileSync(hostsFile(), content);
    assert.equal((await cli(['daemon', 'start'])).code, 0);
    assert.equal((await cli(['daemon', 'stop'])).code, 0);
    assert.deepEqual(readFileSync(hostsFile()), content);
  }

  /** The daemon the CLI started, once it has stopped itself at its next step. */
  async function stoppedDaemon(what: string): Promise<number> {
    await waitFor('the daemon', () => sandbox().daemonPid() !== null, 30_000);
    const pid = sandbox().daemonPid() as number;
    await waitStopped(pid, what);
    return pid;
  }

  async function kill(pid: number): Promise<void> {
    process.kill(pid, 'SIGKILL');
    await waitFor(`daemon ${pid} to die`, () => !isAlive(pid) || readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z'));
  }

  before(async () => {
    writeFileSync(hostsFile(), ORIGINAL);
    assert.equal((await cli(['hosts', 'apply'])).code, 0);
    applied = readFileSync(hostsFile());
    assert.equal((await cli(['hosts', 'remove'])).code, 0);
    assert.deepEqual(readFileSync(hostsFile()), ORIGINAL);
  });

  beforeEach(() => freshStart());
  afterEach(killDaemon);

  for (const op of ['apply', 'remove'] as const) {
    for (const step of RENAME_STEPS) {
      it(`${op}, killed at ${step}: the old or the new bytes, a backup of the old, and the next start gives the original back`, async () => {
        const [before, after] = op === 'apply' ? [ORIGINAL, applied] : [applied, ORIGINAL];
        if (op === 'remove') {
          // The same daemon writes the block (passing the step once) and is then killed removing it.
          const applying = cli(['hosts', 'apply'], step);
          resume(await stoppedDaemon(`apply at ${step}`));
          assert.equal((await applying).code, 0);
          assert.deepEqual(readFileSync(hostsFile()), applied);
        }
        const running = cli(['hosts', op], step);
        const pid = await stoppedDaemon(`${op} at ${step}`);
        await kill(pid);
        faults++;
        assert.notEqual((await running).code, 0, 'the CLI saw the daemon die');
        const now = readFileSync(hostsFile());
        assert.ok(now.equals(before) || now.equals(after), `the old or the new bytes, not ${JSON.stringify(now.toString('latin1'))}`);
        if (RENAME_STEPS.indexOf(step) >= RENAME_STEPS.indexOf('hosts:backed-up'))
          assert.deepEqual(readFileSync(backupFile()), before, 'the backup is the old bytes');

        const restarted = await cli(['daemon', 'start']);
        assert.equal(restarted.code, 0, restarted.stderr);
        assert.deepEqual(readFileSync(hostsFile()), ORIGINAL, 'the next start took our block out');
        assert.deepEqual(journal(), [], 'and has nothing left to undo');
        assert.deepEqual(tempFiles(), [], 'no temp file is left beside the hosts file');
      });
    }
  }

  /**
   * Runs `apply` stopped at `step`, calls `meanwhile` while it is stopped, and lets it go on (each
   * time it stops there again: a change noticed is computed again); returns what the CLI said.
   */
  async function applyWith(step: Step, meanwhile: () => void): Promise<CliResult> {
    let done: CliResult | null = null;
    const running = cli(['hosts', 'apply'], step).then((result) => (done = result));
    const pid = await stoppedDaemon(`apply at ${step}`);
    meanwhile();
    faults++;
    resume(pid);
    while (!done) {
      await sleep(20);
      if (isStopped(pid)) resume(pid);
    }
    return running;
  }

  /** Takes our block out the way a crash does: the daemon (stopped at its step, or not) is killed and the next start recovers. */
  async function recoverAfterKill(): Promise<void> {
    await killDaemon();
    assert.equal((await cli(['daemon', 'start'])).code, 0);
  }

  for (const step of ['hosts:read', 'hosts:temp-written'] as const) {
    it(`keeps another program's edit made at ${step}: a line changed in the middle, and a line appended`, async () => {
      const edited = Buffer.from(ORIGINAL.toString('latin1').replace('10.0.0.7 nas.lan', '10.0.0.8 nas.lan # moved'), 'latin1');
      const result = await applyWith(step, () => writeFileSync(hostsFile(), edited));
      assert.equal(result.code, 0, result.stderr);
      assert.ok(readFileSync(hostsFile()).toString('latin1').startsWith(edited.toString('latin1')), 'the edit is there, our block after it');
      await recoverAfterKill();
      assert.deepEqual(readFileSync(hostsFile()), edited);

      await freshStart(edited);
      const appended = Buffer.concat([edited, Buffer.from('\r\n192.168.1.9 printer.lan\r\n')]);
      assert.equal((await applyWith(step, () => writeFileSync(hostsFile(), appended))).code, 0);
      await recoverAfterKill();
      assert.deepEqual(readFileSync(hostsFile()), appended);
    });
  }

  it('refuses a hosts file swapped for a link or a folder while it writes, in one sentence, and changes nothing', async () => {
    const secret = path.join(sandbox().home, 'secret');
    writeFileSync(secret, 'not a hosts file\n');
    const toLink = await applyWith('hosts:journaled', () => {
      rmSync(hostsFile());
      symlinkSync(secret, hostsFile());
    });
    assert.equal(toLink.code, 1);
    assert.match(toLink.stderr, /The hosts file .*hosts was replaced by a symbolic link; nothing was written\.\n$/);
    assert.equal(readFileSync(secret, 'utf8'), 'not a hosts file\n', 'the link was not followed');
    rmSync(hostsFile());

    await freshStart();
    const toFolder = await applyWith('hosts:journaled', () => {
      rmSync(hostsFile());
      mkdirSync(hostsFile());
    });
    assert.equal(toFolder.code, 1);
    assert.match(toFolder.stderr, /is no longer a regular file; nothing was written\.\n$/);
    rmSync(hostsFile(), { recursive: true });
  });

  it('refuses a read-only file (no write permission at all), even as root, in one sentence', async () => {
    chmodSync(hostsFile(), 0o444);
    try {
      const result = await cli(['hosts', 'apply']);
      faults++;
      assert.equal(result.code, 1);
      assert.match(
        result.stderr,
        /hosts is read-only \(mode 0444\), so nothing was changed; make it writable \(chmod u\+w\) or choose another hosts file\.\n$/,
      );
      assert.deepEqual(readFileSync(hostsFile()), ORIGINAL);
    } finally {
      chmodSync(hostsFile(), 0o644);
    }
  });

  it('refuses a link (to a folder, in a loop) and a missing folder in one sentence each, and writes nothing', async () => {
    const links = path.join(sandbox().home, 'links');
    mkdirSync(links);
    symlinkSync(links, path.join(links, 'to-folder'));
    symlinkSync('loop-b', path.join(links, 'loop-a'));
    symlinkSync('loop-a', path.join(links, 'loop-b'));
    const cases: [string, RegExp][] = [
      [path.join(links, 'to-folder'), /to-folder is a symbolic link to \S*links, which is not followed, so nothing was read or written; /],
      [path.join(links, 'loop-a'), /loop-a is a symbolic link to loop-b, which is not followed/],
      [path.join(links, 'nowhere', 'hosts'), /does not exist, nor does its folder .*nowhere\.\n$/],
    ];
    for (const [file, sentence] of cases) {
      const result = await cli(['hosts', 'apply', '--hosts-file', file]);
      faults++;
      assert.equal(result.code, 1, file);
      assert.match(result.stderr, sentence);
      assert.equal(result.stderr.trim().split('\n').length, 1, 'one sentence');
    }
    assert.deepEqual(readdirSync(links).sort(), ['loop-a', 'loop-b', 'to-folder']);
    assert.equal(existsSync(path.join(links, 'nowhere')), false);
  });
});
