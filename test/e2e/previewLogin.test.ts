/**
 * The preview logs in (issue 25), in real VS Code (code-server) driven in
 * headless Chromium: the demo sends Django's default `X-Frame-Options: DENY`,
 * and VS Code's Simple Browser shows a site in a frame of the workbench,
 * cross-site to it unless both are at 127.0.0.1. With the workbench at
 * 127.0.0.1 and at localhost, a site previewed bare (the current site, from
 * the palette) and one previewed at its own name (a site's row) each show and
 * take an admin login there. Pictures: test-results/screenshots/preview-*.png.
 */
import * as assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';
import { ADMIN, createAdmin } from '../support/demoAdmin';
import { requestVia } from '../support/http';
import {
  answerLinkPrompt,
  contextMenu,
  openMultiSite,
  pictureOnFailure,
  previewFrame,
  projectLabel,
  row,
  runCommand,
  screenshot,
  useCodeServer,
  waitForServed,
} from '../support/workbench';

/** Opens the admin from the site's home page in the preview and logs in there; resolves once Django shows the admin's index. */
async function logInThere(frame: Frame, name: string): Promise<void> {
  await frame.locator('h1#site-name').filter({ hasText: name }).waitFor({ timeout: 30_000 });
  await frame.getByRole('link', { name: 'Admin' }).click();
  await frame.locator('#id_username').fill(ADMIN.username);
  await frame.locator('#id_password').fill(ADMIN.password);
  await frame.locator('input[type="submit"]').click();
  // A cookie the frame did not keep ends here in Django's 403 ("CSRF cookie not set") instead.
  await frame.getByText('Site administration').first().waitFor({ timeout: 30_000 });
}

describe('the preview of a project that forbids frames, logged in to (real VS Code)', function () {
  const suite = useCodeServer(26_000, { before: (sandbox) => createAdmin(sandbox.demo) });

  for (const workbench of ['127.0.0.1', 'localhost'] as const) {
    it(`logs in to the admin in the preview at the bare and at the own address, the workbench at ${workbench}`, async () => {
      const page: Page = await suite.codeServer().open(`?folder=${encodeURIComponent(suite.sandbox().demo)}`, workbench);
      const codeServerPort = String(suite.codeServer().port);
      const failed = pictureOnFailure(page, `preview-login-${workbench}`);
      await (async () => {
        await openMultiSite(page);
        await row(page, 'Beta Shop').waitFor({ timeout: 60_000 });
        // Bare: the current site, previewed from the palette.
        await row(page, 'Beta Shop').click();
        await waitForServed(page, 'Beta Shop', suite);
        await runCommand(page, 'Multi-Site: Preview Site Beside the Code');
        const bare = await previewFrame(page, (url) => url.hostname === '127.0.0.1' && url.port !== codeServerPort && url.pathname === '/');
        await logInThere(bare, 'Beta Shop');
        await screenshot(page, `preview-login-${workbench}-bare`);
        // Own: another site's row, its own `.localhost` name.
        await contextMenu(page, row(page, 'Gamma Blog'), 'Preview Site Beside the Code');
        const own = await previewFrame(page, (url) => url.hostname === `gamma.${projectLabel(suite.sandbox().demo)}.localhost` && url.pathname === '/');
        await logInThere(own, 'Gamma Blog');
        await screenshot(page, `preview-login-${workbench}-own`);
      })().catch(failed);
      await page.close();
    });
  }
});

describe('the preview in a browser that keeps no cookie in a frame (real VS Code)', function () {
  const suite = useCodeServer(29_000);

  it('says at once that a login there would fail, and opens the system browser when asked', async () => {
    const page = await suite.codeServer().open(`?folder=${encodeURIComponent(suite.sandbox().demo)}`, 'localhost');
    const failed = pictureOnFailure(page, 'preview-blocked');
    await (async () => {
      await openMultiSite(page);
      await row(page, 'Gamma Blog').waitFor({ timeout: 60_000 });
      // Nothing is served yet: the site is served first, then previewed at its preview address.
      await contextMenu(page, row(page, 'Gamma Blog'), 'Preview Site Beside the Code');
      const shown = await previewFrame(page, (url) => url.hostname === `gamma.${projectLabel(suite.sandbox().demo)}.localhost` && url.pathname === '/');
      await shown.locator('h1#site-name').filter({ hasText: 'Gamma Blog' }).waitFor({ timeout: 30_000 });
      // Chromium keeps partitioned cookies in frames; a browser that keeps none (Safari, a strict setting) comes
      // back to the cookie check without it, as this request does.
      const previewUrl = new URL(shown.url());
      const check = await requestVia(Number(previewUrl.port), previewUrl.host, '/__multisite-local/preview-check?next=');
      assert.match(check.body, /Gamma Blog cannot keep its login in this preview/);
      const toasts = page.locator('.notifications-toasts');
      await toasts.getByText("keeps no cookie in the preview's frame").waitFor({ timeout: 30_000 });
      await screenshot(page, 'preview-blocked');
      const opened = page.context().waitForEvent('page', { timeout: 60_000 });
      await toasts.getByRole('button', { name: 'Open in Browser' }).click();
      const address = `http://gamma.${projectLabel(suite.sandbox().demo)}.localhost:${suite.port()}/`;
      await answerLinkPrompt(page, address, 'Open');
      const tab = await opened;
      assert.equal(await tab.locator('h1#site-name').innerText({ timeout: 30_000 }), 'Gamma Blog');
    })().catch(failed);
  });
});
