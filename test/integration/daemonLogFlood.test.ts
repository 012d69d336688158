/**
 * Connections without the token cost the daemon a log line each; issue 14
 * found 5,000 of them writing 390 KB. A real daemon takes 5,000 real refused
 * upgrades: its log stays small, and a client with the token is served
 * throughout and after. A log that reached its bound is rotated by the daemon
 * itself, though its stdout and stderr write to the same file.
 */
import * as assert from 'node:assert/strict';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { upgradeStatus } from '../support/http';
import * as path from 'node:path';
import { MAX_BYTES } from '../../daemon/server/daemonLog';
import { connectToDaemon } from '../../client/daemonClient';
import { DaemonHome } from '../../home/daemonHome';
import type { Discovery } from '../../home/discovery';
import { isAlive } from '../../home/processIdentity';
import { GetStatus } from '../../protocol/protocol';
import { runCli } from '../support/cli';
import { REPO_ROOT } from '../support/demoProject';
import { daemonsOf, sleep, waitFor } from '../support/processes';
import { tempFolder } from '../support/tempProject';

const FLOOD = 5000;
const AT_ONCE = 50;
/** The whole log after the flood: startup lines, a bounded number of refusals, a summary. */
const LOG_BOUND = 16 * 1024;

describe('the daemon log under load', function () {
  this.timeout(120_000);
  let home: string;
  const env = (): NodeJS.ProcessEnv => ({
    MULTISITE_LOCAL_HOME: home,
    MULTISITE_LOCAL_HOSTS_FILE: path.join(home, 'hosts'),
    MULTISITE_LOCAL_IDLE_MS: '600000',
  });

  beforeEach(() => (home = tempFolder('flood')));
  afterEach(async () => {
    await runCli(['daemon', 'stop'], env());
    for (const pid of daemonsOf(home)) {
      process.kill(pid, 'SIGKILL');
      while (isAlive(pid)) await sleep(50);
    }
    rmSync(home, { recursive: true, force: true });
  });

  /** A request with the token, on a fresh connection as a new client makes. */
  async function servedStatus(): Promise<number> {
    const link = await connectToDaemon({
      home: new DaemonHome(home),
      daemonScript: path.join(REPO_ROOT, 'dist', 'daemon.js'),
      autoStart: false,
      timeoutMs: 10_000,
    });
    try {
      return (await link.connection.sendRequest(GetStatus.type)).daemon.pid;
    } finally {
      link.dispose();
    }
  }

  it('stays small through a flood of connections without the token, and a client with the token is served during and after it', async () => {
    assert.equal((await runCli(['daemon', 'start'], env())).code, 0);
    const discovery = JSON.parse(readFileSync(path.join(home, 'daemon.json'), 'utf8')) as Discovery;
    const logFile = path.join(home, 'daemon.log');
    const before = statSync(logFile).size;

    let sent = 0;
    const statuses = new Map<number, number>();
    const flooder = async (): Promise<void> => {
      while (sent < FLOOD) {
        sent++;
        const status = await upgradeStatus(discovery.port, { Authorization: 'Bearer wrong' });
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    };
    const flood = Promise.all(Array.from({ length: AT_ONCE }, flooder));
    // Meanwhile a real client connects and is answered, again and again.
    let servedDuring = 0;
    let flooding = true;
    void flood.finally(() => (flooding = false));
    while (flooding) {
      assert.equal(await servedStatus(), discovery.pid);
      servedDuring++;
    }
    await flood;
    assert.deepEqual([...statuses], [[401, FLOOD]]);
    assert.ok(servedDuring >= 1, 'served while the flood went on');
    assert.equal(await servedStatus(), discovery.pid, 'and after it');

    const after = statSync(logFile).size;
    const log = readFileSync(logFile, 'utf8');
    console.log(`      daemon.log: ${before} bytes before the flood, ${after} after ${FLOOD} refused connections; served ${servedDuring} times during it`);
    assert.match(log, /refused a connection: missing or wrong token/, 'refusals are still logged');
    assert.ok(after < LOG_BOUND, `the log grew to ${after} bytes`);
  });

  it('rotates a log that outgrew its bound, keeping the earlier lines in daemon.log.1', async () => {
    const logFile = path.join(home, 'daemon.log');
    const earlier = `${'an earlier line\n'.repeat(Math.ceil(MAX_BYTES / 16))}`;
    writeFileSync(logFile, earlier, { mode: 0o600 });
    assert.equal((await runCli(['daemon', 'start'], env())).code, 0);
    await waitFor('the daemon to log that it listens', () => /listening on/.test(readFileSync(logFile, 'utf8')));
    assert.ok(statSync(logFile).size < 4096, `daemon.log is ${statSync(logFile).size} bytes`);
    assert.ok(readFileSync(`${logFile}.1`, 'utf8').startsWith(earlier), 'the earlier lines are in daemon.log.1');
  });
});
