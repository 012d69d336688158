/**
 * A big hosts change never starves the daemon: a project of 5,000 sites
 * applied to and removed from a hosts file of 100,000 lines (it used to hold
 * the daemon for about 8 s, and other clients' handshakes timed out). The real
 * daemon stops itself at each step of the write (MULTISITE_LOCAL_STOP_AT);
 * there another client sends GetStatus, and once the daemon goes on that
 * request must be answered before the daemon reaches its next step or answers
 * the change: no stretch of the work runs without serving other clients.
 */
import * as assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { STEPS } from '../../daemon/base/debugStop';
import type { Step } from '../../daemon/base/debugStop';
import { isAlive } from '../../home/processIdentity';
import type { DaemonLink } from '../../client/daemonLink';
import { ApplyHosts, GetStatus, OpenProject, RemoveHosts } from '../../protocol/protocol';
import { sleep, waitFor } from '../support/processes';
import { isStopped, resume, stopsOf } from '../support/stoppedProcess';
import { tempProject } from '../support/tempProject';
import { useSandbox } from '../support/useSandbox';

const SITES = 5000;
/** The steps after which the daemon computes (the names checked; the new file; the notes and the diff) rather than waits for the disk. */
const COMPUTING = new Set<Step>(['hosts:requested', 'hosts:read', 'hosts:updated']);
const LINES = 100_000;
const WRITE_BY_RENAME = STEPS.filter((s) => s !== 'hosts:in-place-written');

/** A project declaring `SITES` sites in its settings, each with its own domain. */
function bigProject(): string {
  const sites = Array.from(
    { length: SITES },
    (_, i) => `    "s${i}": {"id": ${i + 1}, "real_domain": "site-${i}.big-project.test", "name": "Site ${i}", "aliases": []},`,
  );
  return tempProject(
    {
      'manage.py': '#!/usr/bin/env python\nimport os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "big.settings")\n',
      'big/__init__.py': '',
      'big/settings.py': `DJANGO_MULTISITE_PLUS_SITES = {\n${sites.join('\n')}\n}\n`,
    },
    'big-project',
  );
}

const ORIGINAL = Array.from({ length: LINES }, (_, i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}\thost-${i}.lan`).join('\n') + '\n';

describe('a 5,000-site project on a 100,000-line hosts file (real daemon)', function () {
  this.timeout(300_000);
  let source: string;
  const sandbox = useSandbox(() => ({
    project: { source: (source = bigProject()), setup: false },
    env: { MULTISITE_LOCAL_STOP_AT: STEPS.join(',') },
    prepare: (created) => writeFileSync(created.hostsFile, ORIGINAL),
    hookTimeoutMs: 60_000,
  }));
  const links: DaemonLink[] = [];
  after(() => {
    for (const link of links) link.dispose();
    if (source) rmSync(source, { recursive: true, force: true });
  });
  afterEach(() => {
    // Its knob would stop it again on the way out (recovery writes the hosts file): kill it instead.
    const pid = sandbox().daemonPid();
    if (pid !== null && isAlive(pid)) process.kill(pid, 'SIGKILL');
  });

  /**
   * Runs `change` and, at each step where the daemon stops itself, sends GetStatus from
   * another client and lets the daemon go on: that request must be answered before the
   * daemon answers `change`, and, where the daemon stopped just before work that computes
   * (checking the names, computing the new file, the notes and the diff), before it reaches
   * its next step. Returns the steps it went through.
   */
  async function servedAtEveryStep(what: string, other: DaemonLink, change: () => Promise<unknown>): Promise<Step[]> {
    const pid = sandbox().daemonPid() as number;
    let order = 0;
    let changed = 0; // when the change was answered (0: not yet)
    const running = change().then(() => (changed = ++order));
    const steps: Step[] = [];
    const statuses: { step: Step; answered: number }[] = [];
    for (;;) {
      await waitFor(`${what}: the daemon to stop at a step or answer`, () => changed > 0 || isStopped(pid), 120_000);
      if (changed > 0) break;
      const step = stopsOf(sandbox().home).slice(-1)[0] as Step;
      steps.push(step);
      const status = { step, answered: 0 };
      statuses.push(status);
      void other.connection.sendRequest(GetStatus.type).then(() => (status.answered = ++order));
      await sleep(50); // our request reaches the stopped daemon's socket
      resume(pid);
      if (COMPUTING.has(step)) {
        await waitFor(`${what}: GetStatus answered, the next step or the answer`, () => status.answered > 0 || changed > 0 || isStopped(pid), 120_000);
        await sleep(200); // the daemon is stopped or done: what it sent is on its way to us
        assert.ok(
          status.answered > 0 && (changed === 0 || status.answered < changed),
          `${what}: a GetStatus sent at ${step} was answered before the daemon went on`,
        );
      }
    }
    await running;
    await sleep(200);
    for (const { step, answered } of statuses)
      assert.ok(answered > 0 && answered < changed, `${what}: a GetStatus sent at ${step} was answered before the change`);
    return steps;
  }

  it('answers another client at every step of applying and removing 5,000 names', async () => {
    const hostsFile = sandbox().hostsFile;
    assert.equal((await sandbox().cli(['daemon', 'start'])).code, 0);
    const [writer, other] = [await sandbox().connect(), await sandbox().connect()];
    links.push(writer, other);
    const root = sandbox().demo;
    await writer.connection.sendRequest(OpenProject.type, { root });

    const applied = await servedAtEveryStep('apply', other, () => writer.connection.sendRequest(ApplyHosts.type, { root, hostsFile }));
    assert.deepEqual(applied, WRITE_BY_RENAME);
    const text = readFileSync(hostsFile, 'latin1');
    assert.ok(text.startsWith(ORIGINAL));
    assert.equal(text.split('\n').length - 1, LINES + 2 * SITES + 2, 'every name, for IPv4 and IPv6, between our markers');

    // Again: nothing to change, but the block of 10,000 lines is read again (it used to take seconds).
    const again = await servedAtEveryStep('apply again', other, () => writer.connection.sendRequest(ApplyHosts.type, { root, hostsFile }));
    assert.deepEqual(again, ['hosts:requested', 'hosts:journaled', 'hosts:read', 'hosts:updated']);
    assert.deepEqual(await servedAtEveryStep('remove', other, () => writer.connection.sendRequest(RemoveHosts.type, { root, hostsFile })), WRITE_BY_RENAME);
    assert.equal(readFileSync(hostsFile, 'latin1'), ORIGINAL);
  });
});
