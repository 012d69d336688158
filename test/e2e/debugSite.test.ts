/**
 * Debug Site as a person meets it (issue 24), in real VS Code (code-server,
 * which has no Microsoft Python Debugger: the extension's own debug type
 * attaches to debugpy's port): Debug Site from a site's context menu, a
 * breakpoint on the demo view's line, a request for the site's address, and
 * the editor paused on that line with the debug toolbar; Continue lets the
 * answer through; Stop Debugging serves the site as before. A new terminal
 * has the current site in its environment. The status bar's menu debugs a site
 * from the bug button on its row.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { requestVia } from '../support/http';
import {
  STATUS_ITEM,
  contextMenu,
  logsOf,
  openMultiSite,
  pictureOnFailure,
  row,
  runCommand,
  screenshot,
  statusOf,
  useCodeServer,
  waitForServed,
} from '../support/workbench';

/**
 * Opens `file` of the workspace at `line` (Quick Open, then Go to Line), each key pressed once what it
 * goes to shows (a key pressed before the editor has the focus is lost), and waits until the status
 * bar says the cursor is on that line.
 */
async function openAt(page: Page, file: string, line: number): Promise<void> {
  const quickInput = page.locator('.quick-input-widget');
  await page.keyboard.press('Control+P');
  await quickInput.locator('input').waitFor({ timeout: 10_000 });
  await page.keyboard.type(file);
  await quickInput.getByText(path.basename(file)).first().waitFor({ timeout: 30_000 });
  await page.keyboard.press('Enter');
  await quickInput.waitFor({ state: 'hidden', timeout: 10_000 });
  await page.locator('.editor-instance .monaco-editor.focused').waitFor({ timeout: 10_000 });
  await page.keyboard.press('Control+G');
  await quickInput.locator('input').waitFor({ timeout: 10_000 });
  await page.keyboard.type(String(line));
  await page.keyboard.press('Enter');
  await page
    .locator('.statusbar')
    .getByText(new RegExp(`^Ln ${line}, Col`))
    .waitFor({ timeout: 10_000 });
}

describe('Debug Site in real VS Code (code-server + Chromium, real debugpy)', function () {
  const suite = useCodeServer(26_000, { sandbox: { requires: ['django', 'debugpy'] } });
  const { sandbox } = suite;

  it('pauses on a breakpoint in the debugged site’s view, continues, and serves it as before after Stop Debugging', async () => {
    const page = await suite.codeServer().open(`?folder=${encodeURIComponent(sandbox().demo)}`);
    await openMultiSite(page);
    await row(page, 'Beta Shop').waitFor({ timeout: 60_000 });

    await contextMenu(page, row(page, 'Beta Shop'), 'Debug Site');
    // Attached: the debug toolbar shows, the Run and Debug view lists the server's own session (the autoreloader
    // starts it: Debug Site ends when it is attached), and the row says the site is being debugged.
    await page.locator('.debug-toolbar').waitFor({ timeout: 60_000 });
    await page.keyboard.press('Control+Shift+D'); // Run and Debug
    const sidebar = page.locator('.part.sidebar');
    await sidebar
      .getByText(/^Subprocess \d+/)
      .first()
      .waitFor({ timeout: 60_000 })
      .catch(pictureOnFailure(page, 'debug-site-server-session'))
      .catch((error: unknown) => {
        throw new Error(`The server's debug session did not show: ${String(error)}${logsOf(suite)}`);
      });
    await openMultiSite(page);
    await row(page, 'Beta Shop')
      .getByText(/debugging/)
      .waitFor({ timeout: 30_000 });
    const debugging = (await statusOf(sandbox())).project?.debugging;
    assert.equal(debugging?.site, 'beta');

    const views = path.join(sandbox().demo, 'demo', 'views.py');
    // The visit view's count: one statement on one line (Python stops twice on the first line of a multi-line call).
    const line =
      readFileSync(views, 'utf8')
        .split('\n')
        .findIndex((text) => text.trim().startsWith('request.session["visits"] =')) + 1;
    await openAt(page, 'demo/views.py', line).catch(pictureOnFailure(page, 'debug-site-open-views'));
    await runCommand(page, 'Debug: Toggle Breakpoint');
    // Verified by debugpy, or not yet (the server's session attaches a moment after the autoreloader's).
    await page.locator('.glyph-margin-widgets [class*="codicon-debug-breakpoint"]').first().waitFor({ timeout: 10_000 });

    const sites = await sandbox().cliJson<{ sites: { slug: string; localhostUrl: string }[] }>(['sites']);
    const address = new URL(sites.sites.find((s) => s.slug === 'beta')?.localhostUrl ?? '');
    const answer = requestVia(Number(address.port), address.host, '/visit/');
    // Paused on the view's line, in the server the autoreloader started (a child session): VS Code shows
    // its Run and Debug view, the call stack paused on the breakpoint in `visit`, the line in the editor.
    await page.keyboard.press('Control+Shift+D'); // Run and Debug
    await sidebar
      .getByText(/paused on breakpoint/i)
      .first()
      .waitFor({ timeout: 60_000 })
      .catch(pictureOnFailure(page, 'debug-site-paused'));
    await sidebar.getByText('visit', { exact: true }).first().waitFor({ timeout: 10_000 });
    await page.locator('.codicon-debug-stackframe').first().waitFor({ timeout: 10_000 });
    await screenshot(page, 'debug-site');

    await page.locator('.debug-toolbar .codicon-debug-continue').click();
    const page1 = await answer;
    assert.equal(page1.status, 200);
    assert.equal((JSON.parse(page1.body) as { site: string }).site, 'Beta Shop');

    await openMultiSite(page);
    await contextMenu(page, row(page, 'Beta Shop'), 'Stop Debugging Site');
    await page.locator('.debug-toolbar').waitFor({ state: 'hidden', timeout: 30_000 });
    for (let tries = 0; (await statusOf(sandbox())).project?.debugging && tries < 100; tries++) await page.waitForTimeout(100);
    assert.equal((await statusOf(sandbox())).project?.debugging ?? null, null);
  });

  it('gives a new terminal the current site: SITE_ID, MULTISITE_LOCAL_SITE and its address', async () => {
    const page = await suite.codeServer().open(`?folder=${encodeURIComponent(sandbox().demo)}`);
    await openMultiSite(page);
    await row(page, 'Gamma Blog').click();
    await waitForServed(page, 'Gamma Blog', suite);
    const out = path.join(sandbox().home, 'terminal-env');
    await runCommand(page, 'Terminal: Create New Terminal');
    await page.locator('.terminal-wrapper.active .xterm').waitFor({ timeout: 30_000 });
    await page.waitForTimeout(1000); // the shell's prompt
    await page.keyboard.type(`echo "$SITE_ID $MULTISITE_LOCAL_SITE $MULTISITE_LOCAL_URL" > ${out}`);
    await page.keyboard.press('Enter');
    for (let tries = 0; !existsSync(out) && tries < 100; tries++) await page.waitForTimeout(100);
    assert.equal(readFileSync(out, 'utf8').trim(), `3 gamma http://127.0.0.1:${suite.port()}/`);
  });

  it("debugs a site from the status bar's menu: the bug button on its row in the quick pick", async () => {
    const page = await suite.codeServer().open(`?folder=${encodeURIComponent(sandbox().demo)}`);
    await openMultiSite(page);
    await row(page, 'Alpha News').waitFor({ timeout: 60_000 });
    await page.locator(STATUS_ITEM).click();
    const alpha = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Alpha News' });
    await alpha.hover();
    await alpha.getByRole('button', { name: 'Debug Site' }).click();
    await page.locator('.debug-toolbar').waitFor({ timeout: 60_000 });
    for (let tries = 0; (await statusOf(sandbox())).project?.debugging?.site !== 'alpha' && tries < 100; tries++) await page.waitForTimeout(100);
    assert.equal((await statusOf(sandbox())).project?.debugging?.site, 'alpha');

    await runCommand(page, 'Multi-Site: Stop Debugging Site');
    await page.locator('.debug-toolbar').waitFor({ state: 'hidden', timeout: 30_000 });
    for (let tries = 0; (await statusOf(sandbox())).project?.debugging && tries < 100; tries++) await page.waitForTimeout(100);
    assert.equal((await statusOf(sandbox())).project?.debugging ?? null, null);
  });
});
