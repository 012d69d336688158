/**
 * A daemon death in real VS Code (code-server + Chromium, the packaged .vsix,
 * the demo project): a site served from the Sites view, the daemon killed with
 * SIGKILL by the pid in its discovery file. The extension starts a new daemon
 * at once, whose recovery stops the orphaned server; the notification tells
 * what was recovered, once; the tree and status bar come back and the site is
 * served again when clicked. Killed again until 5 deaths in 3 minutes, the
 * extension gives up, says so with a Restart Daemon action, and that action
 * brings everything back.
 */
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { isAlive, processIdentity } from '../../home/processIdentity';
import type { JournalEntry } from '../../daemon/journal/processJournal';
import { groupAlive } from '../../daemon/base/processGroup';
import { addFigure } from '../support/figures';
import { fetchText } from '../support/http';
import { daemonsOf, journaled, sleep, waitFor } from '../support/processes';
import { STATUS_ITEM, openMultiSite, pictureOnFailure, row, statusOf, statusText, useCodeServer, waitForServed } from '../support/workbench';

const TOLD = 'The daemon had stopped unexpectedly';

describe('a daemon death in real VS Code (code-server + Chromium)', function () {
  const suite = useCodeServer(25_000);
  const { sandbox } = suite;

  /** The live daemon's pid once it is not `old` (the discovery file names a running process). */
  async function nextDaemon(old: number | null): Promise<number> {
    const fresh = (): number | null => {
      const pid = sandbox().daemonPid();
      return pid !== null && pid !== old && isAlive(pid) ? pid : null;
    };
    await waitFor('a new daemon', () => fresh() !== null, 30_000);
    return fresh() ?? 0;
  }

  /**
   * Waits until the window has the project open in the running daemon and no run of the project's
   * code is under way: the daemon's process journal (what its successor's recovery reads) holds no
   * live group but the servers of `groups`, so a kill now leaves exactly those behind. Processes the
   * daemon did not start (code-server's own searches in the folder) play no part. Asks through the
   * CLI's `status`, so only while no recovery report is pending: the first client to ask takes it.
   */
  async function settled(groups: readonly number[]): Promise<void> {
    const deadline = Date.now() + 60_000;
    while ((await statusOf(sandbox())).project === null) {
      if (Date.now() > deadline) throw new Error('the window did not open the project in the daemon');
      await sleep(250);
    }
    const others = (): JournalEntry[] => journaled(sandbox().home).filter((entry) => groupAlive(entry.pgid) && !groups.includes(entry.pgid));
    await sleep(500); // the window's look at which projects share the database follows the open
    await waitFor('no run of the project code', () => others().length === 0, 60_000).catch((error: Error) => {
      const running = others().map((entry) => `${entry.label ?? 'server'} (group ${entry.pgid}: ${processIdentity(entry.pgid)?.command ?? 'leader gone'})`);
      throw new Error(`${error.message}; still running: ${running.join('; ')}`);
    });
  }

  async function kill(pid: number): Promise<void> {
    process.kill(pid, 'SIGKILL');
    await waitFor('the daemon to die', () => processIdentity(pid) === null);
    addFigure('faults injected', 1);
  }

  const told = (page: Page) => page.locator('.notifications-toasts .notification-list-item-message', { hasText: TOLD });

  it('starts a new daemon at once, tells once what its recovery did, and serves again on a click; gives up after 5 deaths in 3 minutes', async function () {
    const page = await suite.codeServer().open(`?folder=${encodeURIComponent(sandbox().demo)}`);
    await openMultiSite(page);
    await row(page, 'Beta Shop').waitFor({ timeout: 60_000 });
    await page.locator(STATUS_ITEM).waitFor({ timeout: 30_000 });
    await row(page, 'Beta Shop').click();
    await waitForServed(page, 'Beta Shop', suite);
    const served = await statusOf(sandbox());
    const groups = (served.project?.backends ?? []).flatMap((b) => (b.pid === null ? [] : [b.pid]));
    assert.equal(groups.length, 1, `Beta Shop's one backend: ${JSON.stringify(served.project?.backends)}`);
    await settled(groups);

    // The daemon dies; the extension starts the next one, whose recovery stops the orphan.
    const first = sandbox().daemonPid();
    assert.ok(first !== null);
    await kill(first);
    assert.ok(groupAlive(groups[0]), 'the server outlived its daemon');
    await told(page).first().waitFor({ timeout: 30_000 }).catch(pictureOnFailure(page, 'daemon-death-told'));
    assert.equal(await told(page).first().innerText(), `Multi-Site: ${TOLD}; its server was stopped.`);
    const second = await nextDaemon(first);
    assert.equal(groupAlive(groups[0]), false, "the orphan's process group is gone");

    // The views come back, with nothing served; a click serves the site again.
    await page.locator(STATUS_ITEM).filter({ hasText: 'Choose a site' }).waitFor({ timeout: 30_000 });
    await settled([]);
    await row(page, 'Beta Shop').click();
    await waitForServed(page, 'Beta Shop', suite);
    assert.equal(await statusText(page), 'Beta Shop · every site at once');
    assert.match((await fetchText(`http://127.0.0.1:${suite.port()}/`)).body, /<h1 id="site-name">Beta Shop<\/h1>/);
    assert.equal(await told(page).count(), 1, 'told once');
    const again = await statusOf(sandbox());
    assert.equal(again.currentSite?.slug, 'beta');
    assert.equal(sandbox().daemonPid(), second, 'served by the daemon the extension started');

    // Four more deaths within 3 minutes: the fifth is not followed by a new daemon.
    let pid = second;
    for (let death = 2; death <= 5; death++) {
      await settled((await statusOf(sandbox())).project?.backends.flatMap((b) => (b.pid === null ? [] : [b.pid])) ?? []);
      await kill(pid);
      if (death < 5) pid = await nextDaemon(pid);
    }
    const gaveUp = page.locator('.notifications-toasts .notification-toast', { hasText: 'stopped 5 times in 3 minutes' });
    await gaveUp.waitFor({ timeout: 30_000 }).catch(pictureOnFailure(page, 'daemon-death-gave-up'));
    await sleep(2_000);
    assert.deepEqual(daemonsOf(sandbox().home), [], 'no daemon was started after the fifth death');
    await gaveUp.getByRole('button', { name: 'Restart Daemon' }).click();
    await nextDaemon(pid);
    await page.locator(STATUS_ITEM).filter({ hasText: 'Choose a site' }).waitFor({ timeout: 30_000 });
    await settled([]);
    await row(page, 'Alpha News').click();
    await waitForServed(page, 'Alpha News', suite);
    assert.match((await fetchText(`http://127.0.0.1:${suite.port()}/`)).body, /<h1 id="site-name">Alpha News<\/h1>/);
  });
});
