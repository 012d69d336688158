/**
 * A daemon death made harmless for the person at the terminal (real CLI, real
 * daemon, real runserver backends of the demo behind the proxy, a temp hosts
 * file): the daemon is killed with SIGKILL while it serves with hosts entries
 * applied; the next `status` finds what it left in its journals, starts a daemon
 * whose recovery stops the orphans' process groups and removes the entries, and
 * says so once, in one sentence; the `status` after it does not repeat it. With
 * nothing left behind, `status` still starts no daemon.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { ProjectState } from '../../protocol/protocol';
import { processIdentity } from '../../home/processIdentity';
import { groupAlive } from '../../daemon/base/processGroup';
import { addFigure } from '../support/figures';
import { daemonsOf, waitFor } from '../support/processes';
import { useFreePort } from '../support/useFreePort';
import { useSandbox } from '../support/useSandbox';

interface StatusJson {
  daemon: { pid: number } | null;
  project: ProjectState | null;
}

const SENTENCE = /^multisite-local: The daemon had stopped unexpectedly; its 2 servers were stopped and the hosts entries of (\S+) removed\.$/;

describe('the next command after a daemon death (real CLI, real daemon, real runserver)', function () {
  const port = useFreePort(22_500);
  const sandbox = useSandbox({ requires: ['django'] });

  /** Serves alpha and beta behind the proxy, a server each, with hosts entries in the temp hosts file; the daemon's pid and the servers' groups. */
  async function serve(): Promise<{ daemon: number; groups: number[] }> {
    await sandbox().cliJson(['switch', 'alpha', '--port', String(port()), '--routing', 'siteId']);
    await sandbox().cliJson(['open', 'beta']);
    const applied = await sandbox().cli(['hosts', 'apply']);
    assert.equal(applied.code, 0, applied.stderr);
    const status = await sandbox().cliJson<StatusJson>(['status']);
    const groups = (status.project?.backends ?? []).flatMap((b) => (b.pid === null ? [] : [b.pid]));
    for (const pgid of groups) sandbox().startedGroups.add(pgid);
    assert.equal(groups.length, 2, `two warm backends: ${JSON.stringify(status.project?.backends)}`);
    assert.ok(status.daemon);
    return { daemon: status.daemon.pid, groups };
  }

  async function kill(daemon: number): Promise<void> {
    process.kill(daemon, 'SIGKILL');
    await waitFor('the daemon to die', () => processIdentity(daemon) === null);
    addFigure('faults injected', 1);
  }

  it('status after SIGKILL starts a daemon whose recovery stops the orphans and removes the hosts entries, and says so once', async function () {
    this.timeout(120_000);
    const hostsBefore = readFileSync(sandbox().hostsFile, 'utf8');
    const { daemon, groups } = await serve();
    assert.notEqual(readFileSync(sandbox().hostsFile, 'utf8'), hostsBefore, 'the entries are in the hosts file');
    await kill(daemon);
    assert.deepEqual(
      groups.filter((pgid) => !groupAlive(pgid)),
      [],
      'the servers outlive the daemon: orphans',
    );

    const first = await sandbox().cli(['status']);
    assert.equal(first.code, 0, first.stderr);
    const told = first.stderr.trim().split('\n');
    assert.equal(told.length, 1, `one sentence: ${first.stderr}`);
    assert.match(told[0], SENTENCE);
    const next = daemonsOf(sandbox().home);
    assert.equal(next.length, 1, 'status started one daemon');
    assert.notEqual(next[0], daemon);
    assert.match(first.stdout, new RegExp(`^Daemon pid ${next[0]} `));
    assert.deepEqual(
      groups.filter((pgid) => groupAlive(pgid)),
      [],
      "the orphans' process groups are gone",
    );
    assert.deepEqual(sandbox().processesInDemo(), [], 'no process left in the project');
    assert.equal(readFileSync(sandbox().hostsFile, 'utf8'), hostsBefore, 'the hosts file is as it was, byte for byte');

    const second = await sandbox().cli(['status', '--json']);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(second.stderr, '', 'told once: the next status says nothing of it');
    assert.equal((JSON.parse(second.stdout) as StatusJson).daemon?.pid, next[0]);
  });

  it('any command after SIGKILL tells it once too, on stderr, leaving --json output whole', async function () {
    this.timeout(120_000);
    const { daemon } = await serve();
    await kill(daemon);
    const stopped = await sandbox().cli(['stop', '--json']);
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.match(stopped.stderr.trim(), SENTENCE);
    assert.equal((JSON.parse(stopped.stdout) as ProjectState).server.phase, 'stopped');
    const sites = await sandbox().cli(['sites', '--json']);
    assert.equal(sites.code, 0, sites.stderr);
    assert.equal(sites.stderr, '');
  });

  it('status with nothing left behind starts no daemon', async () => {
    assert.equal((await sandbox().cli(['daemon', 'stop'])).code, 0);
    assert.deepEqual(daemonsOf(sandbox().home), []);
    const status = await sandbox().cli(['status']);
    assert.equal(status.code, 0, status.stderr);
    assert.equal(status.stdout.trim(), 'The daemon is not running; no server is running.');
    assert.equal(status.stderr, '');
    assert.deepEqual(daemonsOf(sandbox().home), [], 'a clean exit leaves empty journals: nothing to recover, nothing started');
  });
});
