/**
 * The elevation path for real: the CLI and daemon run as an unprivileged user
 * in a private mount namespace where /usr/bin/pkexec is a setuid stand-in
 * (test/fixtures/elevation/pkexec.c) that accepts or dismisses the "prompt".
 * The hosts file is a root-owned temp file, never the machine's.
 */
import * as assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, chownSync, cpSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { isAlive } from '../../home/processIdentity';
import { CLI } from '../support/cli';
import { requireComponents } from '../support/components';
import { DEMO_SOURCE, FIXTURES } from '../support/demoProject';
import { tempFolder } from '../support/tempProject';

const USER = 'msltest';
const ORIGINAL = '127.0.0.1 localhost\n';
// Positional arguments only: nothing is spliced into the shell text.
const SCRIPT =
  'dir=$1; mode=$2; shift 2; mount -t overlay overlay -o "lowerdir=/usr/bin,upperdir=$dir/upper,workdir=$dir/work" /usr/bin && MSL_TEST_PKEXEC=$mode MSL_TEST_PKEXEC_LOG=$dir/pkexec.log MULTISITE_LOCAL_HOME=$dir/home exec setpriv --reuid=' +
  USER +
  ' --regid=' +
  USER +
  ' --init-groups "$@"';

function daemonPidIn(home: string): number | null {
  try {
    return (JSON.parse(readFileSync(path.join(home, 'daemon.json'), 'utf8')) as { pid: number }).pid;
  } catch {
    return null;
  }
}

describe('writing a hosts file that needs an administrator (unprivileged daemon)', function () {
  let dir: string;
  let hostsFile: string;
  let createdUser = false;

  before(function () {
    requireComponents(this, 'elevation-harness');
    dir = tempFolder('elevation');
    chmodSync(dir, 0o755);
    for (const d of ['upper', 'work', 'home']) mkdirSync(path.join(dir, d));
    execFileSync('gcc', ['-o', path.join(dir, 'upper', 'pkexec'), path.join(FIXTURES, 'elevation', 'pkexec.c')]);
    chmodSync(path.join(dir, 'upper', 'pkexec'), 0o4755);
    try {
      execFileSync('id', [USER], { stdio: 'ignore' });
    } catch {
      execFileSync('useradd', ['-M', '-s', '/usr/sbin/nologin', USER]);
      createdUser = true;
    }
    const uid = Number(execFileSync('id', ['-u', USER], { encoding: 'utf8' }).trim());
    chownSync(path.join(dir, 'home'), uid, -1);
    chmodSync(path.join(dir, 'home'), 0o700); // a home others can read is refused
    cpSync(DEMO_SOURCE, path.join(dir, 'demo'), { recursive: true, filter: (src) => !/(\.venv|db\.sqlite3|__pycache__)$/.test(src) });
    execFileSync('chmod', ['-R', 'a+rX', path.join(dir, 'demo')]);
    hostsFile = path.join(dir, 'hosts');
    writeFileSync(hostsFile, ORIGINAL, { mode: 0o644 });
  });

  after(async () => {
    if (!dir) return;
    // Read as an observer: a client run as root refuses this file, which another user (the daemon's) owns.
    const pid = daemonPidIn(path.join(dir, 'home'));
    if (pid && isAlive(pid)) {
      process.kill(pid, 'SIGTERM');
      while (isAlive(pid)) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    rmSync(dir, { recursive: true, force: true });
    if (createdUser) execFileSync('userdel', [USER]);
  });

  function cli(mode: 'allow' | 'dismiss', args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile('unshare', ['-m', 'sh', '-c', SCRIPT, 'sh', dir, mode, process.execPath, CLI, ...args], { timeout: 60_000 }, (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
  }
  const prompts = (): string[] => {
    try {
      return readFileSync(path.join(dir, 'pkexec.log'), 'utf8').trim().split('\n').filter(Boolean);
    } catch {
      return [];
    }
  };
  const apply = ['hosts', 'apply', '--project', '', '--hosts-file', ''];

  it('leaves the file unchanged, and says so in one sentence, when the prompt is dismissed', async () => {
    const args = [...apply];
    args[3] = path.join(dir, 'demo');
    args[5] = hostsFile;
    const result = await cli('dismiss', args);
    assert.equal(result.code, 1);
    assert.equal(result.stderr.trim(), 'multisite-local: The administrator prompt was cancelled; the hosts file is unchanged.');
    assert.equal(readFileSync(hostsFile, 'utf8'), ORIGINAL);
    assert.deepEqual(prompts(), ['dismissed']);
    assert.equal((await cli('dismiss', ['daemon', 'stop'])).code, 0);
  });

  it('writes the whole change with one prompt when it is accepted, keeping the file root-owned', async () => {
    const args = [...apply];
    args[3] = path.join(dir, 'demo');
    args[5] = hostsFile;
    const result = await cli('allow', args);
    assert.equal(result.code, 0, result.stderr);
    const written = readFileSync(hostsFile, 'utf8');
    assert.ok(written.startsWith(ORIGINAL));
    assert.match(written, /^127\.0\.0\.1\tgamma-blog\.example$/m);
    assert.deepEqual(prompts(), ['dismissed', 'allowed'], 'one prompt for the whole block');
    const stat = statSync(hostsFile);
    assert.equal(stat.uid, 0);
    assert.equal(stat.mode & 0o777, 0o644);
    // Stopping the daemon removes the entries again (with one more prompt).
    assert.equal((await cli('allow', ['daemon', 'stop'])).code, 0);
    assert.equal(readFileSync(hostsFile, 'utf8'), ORIGINAL);
    assert.deepEqual(prompts(), ['dismissed', 'allowed', 'allowed']);
  });
});
