/**
 * A client meeting a daemon of another version (an upgraded extension or CLI
 * and the daemon an older one started). The running real daemon is made to
 * look older by editing what it advertises in daemon.json, which is what
 * clients compare: idle, it is replaced by the next command; serving a
 * project, it is left alone with one sentence saying what to do; `daemon
 * stop` stops it either way.
 */
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Discovery } from '../../home/discovery';
import { groupAlive } from '../../daemon/base/processGroup';
import { processIdentity } from '../../home/processIdentity';
import { PROTOCOL_VERSION } from '../../protocol/protocol';
import { choosePort } from '../../daemon/runners/freePort';
import { useSandbox } from '../support/useSandbox';

interface DaemonInfo {
  pid: number;
  protocol: number | null;
  current: boolean;
}

describe('a daemon of another version', function () {
  const sandbox = useSandbox({ requires: ['django'] });

  const discoveryFile = (): string => path.join(sandbox().home, 'daemon.json');

  /** Makes the running daemon advertise what `edit` says, as an older daemon would. */
  function pretendOlder(edit: (discovery: Discovery) => void): void {
    const discovery = JSON.parse(readFileSync(discoveryFile(), 'utf8')) as Discovery;
    edit(discovery);
    writeFileSync(discoveryFile(), JSON.stringify(discovery));
  }

  it('is replaced by the next command while it serves nothing', async () => {
    const old = await sandbox().cliJson<DaemonInfo>(['daemon', 'start']);
    assert.equal(old.protocol, PROTOCOL_VERSION);
    for (const edit of [
      (d: Discovery) => (d.protocol = PROTOCOL_VERSION + 1),
      (d: Discovery) => delete d.protocol, // a daemon from before the field existed
      (d: Discovery) => (d.version = '0.0.1'),
    ]) {
      const before = sandbox().daemonPid();
      assert.ok(before);
      pretendOlder(edit);
      const status = await sandbox().cliJson<DaemonInfo>(['daemon', 'status']);
      assert.equal(status.current, false, '`daemon status` shows it as it is, without replacing it');
      assert.equal(status.pid, before);

      const sites = await sandbox().cli(['sites', '--json']);
      assert.equal(sites.code, 0, sites.stderr || sites.stdout);
      const now = JSON.parse(readFileSync(discoveryFile(), 'utf8')) as Discovery;
      assert.notEqual(now.pid, before);
      assert.equal(now.protocol, PROTOCOL_VERSION);
      assert.equal(processIdentity(before), null, 'the old daemon has exited');
    }
  });

  it('is left serving, with what to do, and `daemon stop` still stops it', async () => {
    const port = await choosePort(19_400 + (process.pid % 500));
    await sandbox().cliJson(['switch', 'beta', '--port', String(port)]);
    const server = (await sandbox().cliJson<{ server: { pid: number } }>(['status'])).server.pid;
    sandbox().startedGroups.add(server);
    const daemon = sandbox().daemonPid();
    pretendOlder((d) => (d.protocol = PROTOCOL_VERSION + 1));

    const refused = await sandbox().cli(['sites', '--json']);
    assert.equal(refused.code, 1);
    const { error } = JSON.parse(refused.stdout) as { error: { code: string; message: string } };
    assert.equal(error.code, 'daemon-version');
    assert.match(
      error.message,
      new RegExp(
        `^A daemon of version \\S+, protocol ${PROTOCOL_VERSION + 1} \\(pid ${daemon}\\) is serving \\S+, and this client is version \\S+, protocol ${PROTOCOL_VERSION}; stop it with \`multisite-local daemon stop\``,
      ),
    );
    assert.equal(sandbox().daemonPid(), daemon, 'a busy daemon is not replaced');
    assert.ok(groupAlive(server), 'its server keeps running');

    const stopped = await sandbox().cliJson<{ stopped: boolean; pid: number }>(['daemon', 'stop']);
    assert.deepEqual(stopped, { stopped: true, pid: daemon });
    assert.equal(groupAlive(server), false);
    assert.equal((await sandbox().cliJson<DaemonInfo>(['daemon', 'start'])).current, true);
  });
});
