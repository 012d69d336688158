/**
 * The daemon killed with SIGKILL while it serves (real daemon, real runserver
 * backends of the demo behind the proxy): at rising moments of a stream of
 * switches and opens (backends warm, starting, being replaced), the daemon
 * dies; every server it leaves behind must be in its process journal, and the
 * next daemon, started at once, stops them all before it answers. Beside them
 * the journal is given an entry whose process group now belongs to an
 * unrelated process with the same command line (a reused pid: only its start
 * time differs), which must survive.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { DaemonLink } from '../../client/daemonLink';
import { OpenProject, OpenSite, SwitchSite } from '../../protocol/protocol';
import { processIdentity } from '../../home/processIdentity';
import { groupAlive } from '../../daemon/base/processGroup';
import { addFigure } from '../support/figures';
import { sleep, waitFor } from '../support/processes';
import { processGroups } from '../support/processTree';
import { useFreePort } from '../support/useFreePort';
import { useSandbox } from '../support/useSandbox';

interface JournalEntry {
  pgid: number;
  root: string;
  marker: string;
  start?: string;
}

const SITES = ['alpha', 'beta', 'gamma'];
/** How long a gate whose daemon died may take to read end-of-file and exit: a bare interpreter start is about 20 ms. */
const GATE_END_MS = 2000;

describe('the daemon killed with SIGKILL while it serves (real daemon, real runserver)', function () {
  const port = useFreePort(21_500);
  const sandbox = useSandbox({ requires: ['django'] });
  const strangers: ChildProcess[] = [];
  after(() => {
    for (const child of strangers.splice(0)) if (child.pid && groupAlive(child.pid)) process.kill(-child.pid, 'SIGKILL');
  });

  const journalFile = (): string => path.join(sandbox().home, 'processes.json');
  const journal = (): JournalEntry[] => JSON.parse(readFileSync(journalFile(), 'utf8')) as JournalEntry[];

  /**
   * An unrelated process in a group of its own whose command line names `manage.py runserver`,
   * as a user's own server (or any process) that got the pid of a server the journal names.
   */
  function stranger(): number {
    const child = spawn('/usr/bin/python3', ['-c', 'import time; time.sleep(600)', 'manage.py', 'runserver'], {
      cwd: sandbox().home,
      detached: true,
      stdio: 'ignore',
    });
    strangers.push(child);
    assert.ok(child.pid);
    return child.pid;
  }

  /** Switches and opens through `link`, one after the other, until the link dies with its daemon. */
  async function keepSwitching(link: DaemonLink, root: string, seed: number): Promise<void> {
    for (let n = seed; ; n++) {
      const site = SITES[(n * 7 + (n >> 2)) % SITES.length];
      const type = n % 4 === 3 ? OpenSite.type : SwitchSite.type;
      try {
        await link.connection.sendRequest(type, { root, site });
      } catch {
        // Superseded, or the daemon is gone.
      }
      // Dead, or a zombie nobody reaped yet: either way it answers no more.
      if (processIdentity(link.discovery.pid) === null) return;
    }
  }

  // When the daemon dies: at once, while the first backends start, with backends warm and being replaced.
  const killAfterMs = [0, 400, 1200, 2500, 4000];

  it(`leaves no orphan after ${killAfterMs.length} kills mid-switch, and never stops a process that only reuses a journaled pid`, async function () {
    this.timeout(300_000);
    const root = sandbox().demo;
    for (const [round, delay] of killAfterMs.entries()) {
      const link = await sandbox().connect();
      const daemon = link.discovery.pid;
      await link.connection.sendRequest(OpenProject.type, { root, port: port(), warmSites: 3, trusted: true });
      const switching = keepSwitching(link, root, round);
      await sleep(delay);
      process.kill(daemon, 'SIGKILL');
      await switching;
      await waitFor('the daemon to die', () => processIdentity(daemon) === null);

      // What the dead daemon left: every process in the project belongs to a group its journal names.
      const left = journal();
      const orphans = [...new Set(processGroups(sandbox().processesInDemo()).values())];
      for (const pgid of orphans) sandbox().startedGroups.add(pgid);
      const journaled = left.map((e) => e.pgid);
      // A server spawned but not journaled yet is still its gate (gatedSpawn.ts): its pipe closed with the
      // daemon, so it ends by itself before any project code runs, though it may not have ended yet.
      const unjournaled = (): number[] => orphans.filter((pgid) => !journaled.includes(pgid) && groupAlive(pgid));
      await waitFor('unjournaled gates to end', () => unjournaled().length === 0, GATE_END_MS).catch(() => undefined);
      assert.deepEqual(unjournaled(), [], `round ${round}: every server left running is journaled`);
      const reused = stranger();
      writeFileSync(journalFile(), JSON.stringify([...left, { pgid: reused, root, marker: 'manage.py runserver', start: 'another-boot:4242' }]));

      const next = await sandbox().cli(['daemon', 'start', '--json']);
      assert.equal(next.code, 0, next.stderr);
      assert.notEqual((JSON.parse(next.stdout) as { pid: number }).pid, daemon);
      assert.deepEqual(
        orphans.filter((pgid) => groupAlive(pgid)),
        [],
        `round ${round}: the next daemon stopped every orphan (${orphans.length}) before it answered`,
      );
      assert.deepEqual(sandbox().processesInDemo(), [], `round ${round}: no process left in the project`);
      assert.ok(groupAlive(reused), `round ${round}: the process that reused a journaled pid is left alone`);
      assert.deepEqual(journal(), []);
      console.log(`      round ${round}: killed after ${delay} ms with ${orphans.length} server group(s) running; all stopped`);
      process.kill(-reused, 'SIGKILL');
      link.dispose();
      addFigure('faults injected', 2); // the kill, and the reused pid
    }
  });
});
