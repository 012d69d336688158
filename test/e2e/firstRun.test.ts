/**
 * The first run as a newcomer sees it (issue 23), in real VS Code: a site's
 * address reads whole, its port included, in the side bar at its default
 * width; and a window opened while the project is already served starts its
 * server log with the project's recent lines, not an empty channel.
 */
import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { openMultiSite, pictureOnFailure, projectLabel, row, runCommand, screenshot, statusOf, useCodeServer, waitForServed } from '../support/workbench';

/** The text of a project's log channel in a code-server under `dir` once it matches `pattern` (each window writes its own file). */
async function channelText(dir: string, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const files = readdirSync(path.join(dir, 'data', 'logs'), { recursive: true, encoding: 'utf8' }).filter((f) =>
      /multisite-local\.django-multisite-local[\\/]Multi-Site.*\.log$/.test(f),
    );
    for (const file of files) {
      const text = readFileSync(path.join(dir, 'data', 'logs', file), 'utf8');
      if (pattern.test(text)) return text;
    }
    if (Date.now() > deadline) throw new Error(`no log channel matched ${pattern} in ${files.join(', ') || 'no file'}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('the first run in real VS Code', function () {
  const suite = useCodeServer(27_000);
  const { sandbox } = suite;

  it('shows a site’s address whole, its port included, at the default side bar width', async () => {
    const page = await suite.codeServer().open(`?folder=${encodeURIComponent(sandbox().demo)}`);
    // Not openMultiSite: that widens the side bar for the other suites' pictures.
    await page.getByRole('tab', { name: /Multi-Site/ }).click();
    const gamma = row(page, 'Gamma Blog');
    await gamma.waitFor({ timeout: 60_000 });
    const width = (await page.locator('.part.sidebar').boundingBox())?.width ?? 0;
    assert.ok(width > 0 && width < 400, `the side bar is at its default width, not ${width} px`);
    assert.ok(projectLabel(sandbox().demo).length > 10, 'a project name long enough to need it');
    const description = gamma.locator('.label-description');
    await description.filter({ hasText: `:${suite.port()} · #3` }).waitFor({ timeout: 30_000 });
    // Nothing of the row is cut: its label and description fit their container.
    const cut = await gamma
      .locator('.monaco-icon-label-container')
      .evaluate((el: { scrollWidth: number; clientWidth: number }) => el.scrollWidth - el.clientWidth);
    await screenshot(page, 'sites-default-width');
    assert.ok(cut <= 1, `the row is cut by ${cut} px: ${await gamma.innerText()}`);
  });

  it('starts a newly opened window’s server log with the project’s recent lines', async () => {
    // Served before the window opens, as from a terminal or another window.
    const served = await sandbox().cli(['switch', 'beta', '--port', String(suite.port())]);
    assert.equal(served.code, 0, served.stderr);
    // The one server for every site (or Beta Shop's own), its lines labelled with its label.
    const backend = (await statusOf(sandbox())).project?.backends.find((b) => b.site === 'beta' || b.site === null);
    assert.ok(backend?.url, 'Beta Shop is served behind the proxy');

    const page = await suite.codeServer().open(`?folder=${encodeURIComponent(sandbox().demo)}`);
    await openMultiSite(page);
    await waitForServed(page, 'Beta Shop', suite);
    await runCommand(page, 'Multi-Site: Show Server Log');
    // Read as VS Code wrote the channel (its log file), not as its editor renders it: rows wrap.
    const log = await channelText(suite.codeServer().dir, /earlier line\(s\) of .*, said before this window opened/).catch(
      pictureOnFailure(page, 'recent-logs'),
    );
    // runserver's start line, with the time it was said, in the channel's local clock.
    assert.match(
      log,
      new RegExp(`\\(\\d{2}:\\d{2}:\\d{2}\\.\\d{3}\\) \\[${backend.label}\\] Starting development server at ${backend.url.replace(/\./g, '\\.')}`),
    );
    // VS Code's stamp and the line's own are one clock: the line was said before the window showed it.
    const [stamp, said] = /^\d{4}-\d{2}-\d{2} (\d{2}:\d{2}:\d{2}\.\d{3}) \[info\] \((\d{2}:\d{2}:\d{2}\.\d{3})\)/m.exec(log)?.slice(1) ?? [];
    assert.ok(stamp && said && said <= stamp, `${said} after ${stamp}:\n${log}`);
    await page.locator('.part.panel').getByText(`[${backend.label}]`).first().waitFor({ timeout: 10_000 });
    await screenshot(page, 'recent-logs');
    await sandbox().cli(['stop']);
  });
});
