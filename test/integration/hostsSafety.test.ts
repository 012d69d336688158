/**
 * The hosts file promise, through the real CLI and daemon: bad paths are
 * refused before anything is opened or journaled (the daemon keeps answering),
 * two daemons on one file keep each other's blocks, a failed or moved mode
 * change leaves nothing behind, and the user's bytes and lines are never lost.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { isAlive } from '../../home/processIdentity';
import { runCli } from '../support/cli';
import { tempFolder } from '../support/tempProject';
import { useSandbox } from '../support/useSandbox';
import { DaemonSandbox } from '../support/daemonSandbox';
import { DEMO_SOURCE } from '../support/demoProject';
import { fetchText } from '../support/http';

const ORIGINAL = '# hosts of a test machine\r\n127.0.0.1\tlocalhost\r\n# caf\xe9 (Latin-1)';

interface StatusJson {
  mode: string;
  project: { hostsFile: string | null } | null;
  server: { pid: number; url: string; phase: string };
}

const hostsBytes = (file: string): string => readFileSync(file).toString('latin1');
const blocksIn = (file: string): string[] => [...hostsBytes(file).matchAll(/^# >>> multisite-local ([0-9a-f]{8})/gm)].map((m) => m[1]);

describe('hosts file safety (real daemon and CLI)', function () {
  let scratch: string;
  const a = useSandbox({
    requires: ['django'],
    prepare: () => {
      scratch = tempFolder('safety');
    },
  });
  beforeEach(() => writeFileSync(a().hostsFile, Buffer.from(ORIGINAL, 'latin1')));
  after(() => scratch && rmSync(scratch, { recursive: true, force: true }));

  async function serverOf(sandbox: DaemonSandbox): Promise<StatusJson> {
    const status = await sandbox.cliJson<StatusJson>(['status']);
    if (status.server.pid) sandbox.startedGroups.add(status.server.pid);
    return status;
  }

  it('refuses a FIFO, a device and a folder at once, journals none of them, and keeps answering', async () => {
    const fifo = path.join(scratch, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const refused = await Promise.all([1, 2, 3, 4, 5].map(() => a().cli(['hosts', 'apply', '--hosts-file', fifo])));
    for (const result of refused) {
      assert.equal(result.code, 1);
      assert.match(result.stderr, /is a FIFO \(named pipe\), not a regular file; nothing was read or written\.\n$/);
    }
    assert.equal((await a().cli(['status'])).code, 0, 'the daemon still answers');
    const folder = await a().cli(['hosts', 'apply', '--hosts-file', scratch]);
    assert.equal(folder.code, 1);
    assert.match(folder.stderr, /is a folder, not a regular file/);
    if (process.getuid?.() === 0) {
      const device = path.join(scratch, 'null-device');
      execFileSync('mknod', [device, 'c', '1', '3']);
      assert.match((await a().cli(['hosts', 'apply', '--hosts-file', device])).stderr, /is a character device/);
    }
    const journal = path.join(a().home, 'hosts-journal.json');
    assert.ok(!existsSync(journal) || !readFileSync(journal, 'utf8').includes(scratch), 'no refused path was journaled');
  });

  it('undoes every good record after a crash even when another record is bad', async () => {
    assert.equal((await a().cli(['hosts', 'apply'])).code, 0);
    const crashed = a().daemonPid();
    assert.ok(crashed);
    process.kill(crashed, 'SIGKILL');
    while (isAlive(crashed)) await new Promise((resolve) => setTimeout(resolve, 20));
    const journal = path.join(a().home, 'hosts-journal.json');
    const records = JSON.parse(readFileSync(journal, 'utf8')) as object[];
    writeFileSync(
      journal,
      JSON.stringify([{ file: scratch, root: a().demo, id: 'deadbeef' }, { file: '/nonexistent/folder/hosts', root: a().demo }, ...records]),
    );
    assert.equal((await a().cli(['daemon', 'start'])).code, 0);
    assert.equal(hostsBytes(a().hostsFile), ORIGINAL, 'the good record was undone');
    assert.deepEqual(JSON.parse(readFileSync(journal, 'utf8')), [], 'and the bad ones dropped');
  });

  it("keeps another daemon's block: racing applies, and one daemon stopping", async function () {
    this.timeout(180_000);
    const b = new DaemonSandbox({ MULTISITE_LOCAL_HOSTS_FILE: a().hostsFile });
    try {
      for (let run = 0; run < 15; run++) {
        const applied = await Promise.all([a().cli(['hosts', 'apply']), b.cli(['hosts', 'apply'])]);
        assert.deepEqual(
          applied.map((r) => r.code),
          [0, 0],
          applied.map((r) => r.stderr).join(''),
        );
        assert.equal(blocksIn(a().hostsFile).length, 2, `run ${run}: both blocks are there`);
        const removed = await Promise.all([a().cli(['hosts', 'remove']), b.cli(['hosts', 'remove'])]);
        assert.deepEqual(
          removed.map((r) => r.code),
          [0, 0],
        );
        assert.equal(hostsBytes(a().hostsFile), ORIGINAL, `run ${run}: both gone, original bytes`);
      }
      await a().cli(['hosts', 'apply']);
      await b.cli(['hosts', 'apply']);
      const bBlock = blocksIn(a().hostsFile)[1];
      assert.equal((await a().cli(['daemon', 'stop'])).code, 0);
      assert.deepEqual(blocksIn(a().hostsFile), [bBlock], "stopping A leaves B's block");
      assert.equal((await b.cli(['daemon', 'stop'])).code, 0);
      assert.equal(hostsBytes(a().hostsFile), ORIGINAL);
    } finally {
      await b.dispose();
    }
  });

  it('keeps its port on a second `mode hosts`, and moving to another hosts file leaves the first as it was', async () => {
    const other = path.join(scratch, 'other-hosts');
    writeFileSync(other, '127.0.0.1 localhost\n');
    assert.equal((await a().cli(['mode', 'hosts'])).code, 0);
    const first = await serverOf(a());
    assert.equal((await a().cli(['mode', 'hosts'])).code, 0);
    assert.equal(new URL((await serverOf(a())).server.url).port, new URL(first.server.url).port, 'its own server does not push it off its port');
    assert.equal((await a().cli(['mode', 'hosts', '--hosts-file', other])).code, 0);
    await serverOf(a());
    assert.equal(hostsBytes(a().hostsFile), ORIGINAL, 'the first file is back to its bytes');
    assert.equal(blocksIn(other).length, 1);
    assert.equal((await a().cli(['mode', 'env'])).code, 0);
    await serverOf(a());
    assert.equal(readFileSync(other, 'utf8'), '127.0.0.1 localhost\n');
  });

  it('keeps a line the user put inside our block, and says so', async () => {
    assert.equal((await a().cli(['hosts', 'apply'])).code, 0);
    const text = hostsBytes(a().hostsFile).replace(/(# >>> multisite-local [^\n]*\n)/, '$110.0.0.7 mine.lan # mine\r\n');
    writeFileSync(a().hostsFile, Buffer.from(text, 'latin1'));
    const removed = await a().cli(['hosts', 'remove']);
    assert.equal(removed.code, 0);
    assert.match(removed.stderr, /warning: .*a line someone added inside our block \("10\.0\.0\.7 mine\.lan # mine"\) was kept/);
    assert.equal(hostsBytes(a().hostsFile), `${ORIGINAL}\r\n10.0.0.7 mine.lan # mine\r\n`);
  });

  it('treats --hosts-file "" as a usage error and a relative MULTISITE_LOCAL_HOSTS_FILE as relative to where the CLI runs', async () => {
    const empty = await a().cli(['hosts', 'apply', '--hosts-file', '']);
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /--hosts-file needs a path/);
    const cwd = path.join(scratch, 'cwd');
    mkdirSync(cwd);
    writeFileSync(path.join(cwd, 'relative-hosts'), '127.0.0.1 localhost\n');
    const result = await runCli(['hosts', 'apply', '--project', a().demo], { ...a().env, MULTISITE_LOCAL_HOSTS_FILE: 'relative-hosts' }, cwd);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(blocksIn(path.join(cwd, 'relative-hosts')).length, 1);
    assert.equal(existsSync(path.join(a().home, 'relative-hosts')), false, "not in the daemon's home");
    await runCli(['hosts', 'remove', '--project', a().demo], { ...a().env, MULTISITE_LOCAL_HOSTS_FILE: 'relative-hosts' }, cwd);
  });

  it('writes no empty block for a project without sites', async () => {
    const empty = new DaemonSandbox({}, { source: DEMO_SOURCE, setup: false });
    try {
      const settings = path.join(empty.demo, 'demo', 'settings.py');
      writeFileSync(settings, readFileSync(settings, 'utf8').replace(/DJANGO_MULTISITE_PLUS_SITES = \{[\s\S]*?\n\}\n/, 'DJANGO_MULTISITE_PLUS_SITES = {}\n'));
      writeFileSync(empty.hostsFile, ORIGINAL);
      const result = await empty.cli(['hosts', 'apply']);
      assert.equal(result.code, 1);
      assert.match(result.stderr, /Nothing was written: the project has no local domains to point at this machine\./);
      assert.equal(readFileSync(empty.hostsFile, 'utf8'), ORIGINAL);
    } finally {
      await empty.dispose();
    }
  });

  it('rolls a failed `mode hosts` back whole: no entries, SITE_ID mode, the previous site served again', async () => {
    const failing = new DaemonSandbox();
    try {
      // This copy's runserver refuses to start without a forced site, so hosts mode cannot serve.
      const manage = path.join(failing.demo, 'manage.py');
      const [shebang, ...rest] = readFileSync(manage, 'utf8').split('\n');
      writeFileSync(
        manage,
        [
          shebang,
          'import os, sys',
          "if 'runserver' in sys.argv and not os.environ.get('SITE_ID'): sys.exit('refusing to serve without SITE_ID')",
          ...rest,
        ].join('\n'),
      );
      writeFileSync(failing.hostsFile, ORIGINAL);
      assert.equal((await failing.cli(['switch', 'beta'])).code, 0);
      await serverOf(failing);
      const result = await failing.cli(['mode', 'hosts']);
      assert.equal(result.code, 1);
      assert.match(result.stderr, /refusing to serve without SITE_ID/);
      assert.equal(readFileSync(failing.hostsFile, 'utf8'), ORIGINAL, 'no entries left');
      const status = await serverOf(failing);
      assert.deepEqual([status.mode, status.project?.hostsFile, status.server.phase], ['env', null, 'running']);
      assert.match((await fetchText(status.server.url)).body, /<h1 id="site-name">Beta Shop<\/h1>/);
    } finally {
      await failing.dispose();
    }
  });
});
