/**
 * A site's actions, as a person finds them in the Sites view's context menu:
 * its admin at its own address (and the note on why the second site asks for
 * a login again), its Live server, its address copied, where it is
 * configured, and a preview in VS Code's Simple Browser beside the code.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  answerLinkPrompt,
  contextMenu,
  previewFrame,
  openMultiSite,
  projectLabel,
  row,
  runCommand,
  screenshot,
  STATUS_ITEM,
  useCodeServer,
  waitForServed,
} from '../support/workbench';

describe("a site's actions in real VS Code: admin, Live, copy, reveal, preview", function () {
  const suite = useCodeServer(24_000);
  const { sandbox } = suite;

  it('opens each site’s admin at its own address, explains the second login once, and previews beside the code', async () => {
    const page = await suite.codeServer().open(`?folder=${encodeURIComponent(sandbox().demo)}`);
    await openMultiSite(page);
    await row(page, 'Gamma Blog').waitFor({ timeout: 60_000 });
    await page.locator(STATUS_ITEM).waitFor({ timeout: 30_000 });
    const address = (slug: string): string => `http://${slug}.${projectLabel(sandbox().demo)}.localhost:${suite.port()}/`;

    // Open Admin: the site's /admin/ at its own address, which Django answers with its login page.
    let opened = page.context().waitForEvent('page', { timeout: 60_000 });
    await contextMenu(page, row(page, 'Gamma Blog'), 'Open Admin');
    await answerLinkPrompt(page, `${address('gamma')}admin/`, 'Open');
    let admin = await opened;
    await admin.waitForURL(/\/admin\/login\//, { timeout: 30_000 });
    assert.ok(admin.url().startsWith(`${address('gamma')}admin/login/`), admin.url());
    assert.match(await admin.title(), /Log in/);
    await admin.close();

    // A second site's admin: a note says why it asks for a login again (once; a setting silences it).
    opened = page.context().waitForEvent('page', { timeout: 60_000 });
    await contextMenu(page, row(page, 'Alpha News'), 'Open Admin');
    await answerLinkPrompt(page, `${address('alpha')}admin/`, 'Open');
    admin = await opened;
    await admin.waitForURL(/\/admin\/login\//, { timeout: 30_000 });
    await admin.close();
    const note = page.locator('.notifications-toasts').getByText('the session cookie belongs to one domain');
    await note.waitFor({ timeout: 10_000 });
    await page.locator('.notifications-toasts').getByRole('button', { name: "Don't Show Again" }).click();
    await note.waitFor({ state: 'detached', timeout: 10_000 });
    const settingsFile = path.join(suite.codeServer().dir, 'data', 'User', 'settings.json');
    const silenced = (): boolean => (JSON.parse(readFileSync(settingsFile, 'utf8')) as Record<string, unknown>)['multisiteLocal.explainPerSiteLogin'] === false;
    for (let tries = 0; !silenced() && tries < 40; tries++) await page.waitForTimeout(250);
    assert.ok(silenced(), 'the user settings say multisiteLocal.explainPerSiteLogin: false');

    // Open Live: the real server, behind the same prompt (cancelled here: no internet).
    await contextMenu(page, row(page, 'Beta Shop'), 'Open Live');
    await answerLinkPrompt(page, 'https://beta-shop.example/', 'Cancel');

    // Copy Address: the status bar confirms what went to the clipboard.
    await contextMenu(page, row(page, 'Beta Shop'), 'Copy Address');
    await page
      .locator('.part.statusbar')
      .getByText(`Copied ${address('beta')}`)
      .waitFor({ timeout: 10_000 });

    // Reveal Where Configured: the settings file, at the site's declaration.
    await contextMenu(page, row(page, 'Beta Shop'), 'Reveal Where Configured');
    await page.getByRole('tab', { name: /settings\.py/ }).waitFor({ timeout: 10_000 });
    await page.locator('.monaco-editor .current-line').first().waitFor({ timeout: 10_000 });

    // Serve Beta Shop, then preview it beside the code in the Simple Browser.
    await row(page, 'Beta Shop').click();
    await waitForServed(page, 'Beta Shop', suite);
    await runCommand(page, 'Multi-Site: Preview Site Beside the Code');
    await page.getByRole('tab', { name: /Simple Browser/ }).waitFor({ timeout: 30_000 });
    // At the site's preview address (bare: the current site), past its cookie check; the demo sends X-Frame-Options: DENY.
    const frame = await previewFrame(page, (url) => url.hostname === '127.0.0.1' && url.port !== String(suite.codeServer().port) && url.pathname === '/');
    const heading = await frame.locator('h1#site-name').innerText({ timeout: 30_000 });
    assert.equal(heading, 'Beta Shop', 'the Simple Browser shows the served site');
    await screenshot(page, 'preview');
  });

  it('walks a newcomer through the product, each step with a picture of the real product', async () => {
    const page = await suite.codeServer().open(`?folder=${encodeURIComponent(sandbox().demo)}`);
    await runCommand(page, 'Welcome: Open Walkthrough...');
    await page.locator('.quick-input-widget').getByText('Django multi-site, locally').click();
    const walkthrough = page.locator('.gettingStartedContainer');
    for (const step of ['Open a multi-site project', 'Pick a site', 'Try hosts mode', 'Clean up', 'Run the doctor']) {
      await walkthrough
        .getByRole('button', { name: new RegExp(step) })
        .first()
        .waitFor({ timeout: 30_000 });
    }
    await walkthrough
      .getByRole('button', { name: /Run the doctor/ })
      .first()
      .click();
    // The step's picture (named by its alt text) loads: a missing file would leave a broken image.
    const picture = walkthrough.getByAltText('The Doctor view listing findings with their files and lines.');
    await picture.waitFor({ timeout: 10_000 });
    const width = await picture.evaluate((image) => (image as unknown as { naturalWidth: number }).naturalWidth);
    assert.ok(width > 100, `the picture loaded (${width} px wide)`);
    await walkthrough.getByRole('button', { name: 'Run Doctor' }).click();
    await page
      .getByRole('button', { name: /^Doctor/ })
      .first()
      .waitFor({ timeout: 30_000 });
  });
});
