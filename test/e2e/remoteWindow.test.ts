/**
 * A remote window (issue 25), in real VS Code (code-server) driven in
 * headless Chromium: code-server is the window's remote, and its
 * asExternalUri maps `http://localhost:<port>` to an address of its own, as
 * VS Code's port forwarding does. With code-server's default (a path per
 * port, `/proxy/<port>/`), a site opens at its own port under that path and
 * the window says once what a path costs Django's links. With a name per port
 * (`--proxy-domain`), a site opens at its own port's name, and its preview
 * shows through the forward and takes an admin login there.
 */
import * as assert from 'node:assert/strict';
import { ADMIN, createAdmin } from '../support/demoAdmin';
import { contextMenu, openMultiSite, pictureOnFailure, previewFrame, row, screenshot, statusOf, useCodeServer } from '../support/workbench';
import type { CodeServerSuite } from '../support/workbench';

/** The own port of the site `slug` as the daemon gives it. */
async function ownPort(suite: CodeServerSuite, slug: string): Promise<number> {
  const sites = await suite.sandbox().cliJson<{ sites: { slug: string; portUrl: string | null }[] }>(['sites', '--port', String(suite.port())]);
  const url = sites.sites.find((s) => s.slug === slug)?.portUrl;
  assert.ok(url, `${slug} has a port of its own: ${JSON.stringify(sites)}`);
  return Number(new URL(url).port);
}

const forwarding = { 'multisiteLocal.forwardPorts': true };

describe('a remote window whose forwards carry a path (code-server’s /proxy/<port>/)', function () {
  const suite = useCodeServer(27_000, { settings: forwarding });

  it("opens a site's admin at its own port's forward, and says once what the path costs", async () => {
    const page = await suite.codeServer().open(`?folder=${encodeURIComponent(suite.sandbox().demo)}`);
    const failed = pictureOnFailure(page, 'remote-path-forward');
    await (async () => {
      await openMultiSite(page);
      await row(page, 'Gamma Blog').waitFor({ timeout: 60_000 });
      const opened = page.context().waitForEvent('page', { timeout: 60_000 });
      await contextMenu(page, row(page, 'Gamma Blog'), 'Open Admin');
      const tab = await opened;
      // Django's redirect to its login page (`/admin/login/`) is kept under the path by code-server.
      const expected = `http://127.0.0.1:${suite.codeServer().port}/proxy/${await ownPort(suite, 'gamma')}/admin/`;
      await tab.waitForURL(/\/admin\/login\//, { timeout: 30_000 }).catch(() => assert.fail(`the tab is at ${tab.url()}, not ${expected}login/`));
      assert.ok(tab.url().startsWith(`${expected}login/`), tab.url());
      assert.match(await tab.title(), /Log in/);
      await tab.close();
      await page.locator('.notifications-toasts').getByText('leaves it').waitFor({ timeout: 10_000 });
      await screenshot(page, 'remote-path-forward');
    })().catch(failed);
  });
});

describe('a remote window whose forwards have a name per port (code-server’s --proxy-domain)', function () {
  const suite = useCodeServer(28_000, {
    settings: forwarding,
    before: (sandbox) => createAdmin(sandbox.demo),
    codeServer: { args: (port) => ['--proxy-domain', `{{port}}.localhost:${port}`], proxyUri: (port) => `http://{{port}}.localhost:${port}/` },
  });

  it("opens a site's admin at its own port's name, and logs in to its admin in the preview through the forward", async () => {
    const page = await suite.codeServer().open(`?folder=${encodeURIComponent(suite.sandbox().demo)}`);
    const failed = pictureOnFailure(page, 'remote-name-forward');
    await (async () => {
      await openMultiSite(page);
      await row(page, 'Gamma Blog').waitFor({ timeout: 60_000 });
      const opened = page.context().waitForEvent('page', { timeout: 60_000 });
      await contextMenu(page, row(page, 'Gamma Blog'), 'Open Admin');
      const expected = `http://${await ownPort(suite, 'gamma')}.localhost:${suite.codeServer().port}/admin/`;
      // code-server opens its own forwards without asking (no link protection prompt).
      const tab = await opened;
      await tab.waitForURL(/\/admin\/login\//, { timeout: 30_000 }).catch(() => assert.fail(`the tab is at ${tab.url()}, not ${expected}login/`));
      assert.ok(tab.url().startsWith(`${expected}login/`), tab.url());
      assert.match(await tab.title(), /Log in/);
      await tab.close();

      await contextMenu(page, row(page, 'Gamma Blog'), 'Preview Site Beside the Code');
      const status = await statusOf(suite.sandbox()); // its backends are stopped with the suite
      assert.ok(status.project, 'the project is served');
      const frame = await previewFrame(page, (url) => /^\d+\.localhost$/.test(url.hostname) && url.pathname === '/');
      await frame.locator('h1#site-name').filter({ hasText: 'Gamma Blog' }).waitFor({ timeout: 30_000 });
      await frame.getByRole('link', { name: 'Admin' }).click();
      await frame.locator('#id_username').fill(ADMIN.username);
      await frame.locator('#id_password').fill(ADMIN.password);
      await frame.locator('input[type="submit"]').click();
      await frame.getByText('Site administration').first().waitFor({ timeout: 30_000 });
      await screenshot(page, 'remote-name-forward-preview');
    })().catch(failed);
  });
});
