/**
 * The product as a person uses it: real VS Code (code-server) in headless
 * Chromium with the packaged .vsix installed, the demo project open, a click
 * on a site in the Sites view, the status bar, and the served page; another
 * site's own `.localhost` address opened in a browser tab beside the current one.
 */
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { choosePort } from '../../daemon/runners/freePort';
import { groupAlive } from '../../daemon/runners/processGroup';
import { CodeServer } from '../support/codeServer';
import type { DaemonSandbox } from '../support/daemonSandbox';
import { useSandbox } from '../support/useSandbox';
import { REPO_ROOT } from '../support/demoProject';
import { fetchText } from '../support/http';

const VSIX = path.join(REPO_ROOT, 'dist', 'django-multisite-local.vsix');
const STATUS_ITEM = '[id="multisite-local.django-multisite-local.multisiteLocal.currentSite"]';
/**
 * Where the run's screenshots go: a build folder, so that tests never rewrite tracked files.
 * `npm run screenshots` sets MULTISITE_LOCAL_SCREENSHOTS_DIR=media to refresh the README's pictures.
 */
const SCREENSHOTS_DIR = path.resolve(REPO_ROOT, process.env.MULTISITE_LOCAL_SCREENSHOTS_DIR ?? path.join('test-results', 'screenshots'));
export const SCREENSHOT = path.join(SCREENSHOTS_DIR, 'sites-view.png');

/** The user settings of a code-server that serves the demo through the proxy on `port`. */
function userSettings(port: number): Record<string, unknown> {
  return {
    'security.workspace.trust.enabled': false,
    'multisiteLocal.port': port,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'window.commandCenter': false,
  };
}

/** `<project>` in `<site>.<project>.localhost`: the folder's name as a DNS label (the demo copies' names are ASCII). */
function projectLabel(root: string): string {
  return path
    .basename(root)
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-');
}

interface Status {
  currentSite: { slug: string } | null;
  mode: string;
  server: { pid: number | null };
  project: { backends: { site: string | null; phase: string; pid: number | null; url: string | null }[] } | null;
}

/** The daemon's status; every server it lists (the current one and the warm ones) is cleaned up after the suite. */
async function statusOf(sandbox: DaemonSandbox): Promise<Status> {
  const status = await sandbox.cliJson<Status>(['status']);
  for (const pid of [status.server.pid, ...(status.project?.backends ?? []).map((b) => b.pid)]) {
    if (pid !== null) sandbox.startedGroups.add(pid);
  }
  return status;
}

async function statusText(page: Page): Promise<string> {
  return (await page.locator(STATUS_ITEM).innerText()).trim();
}

/** Waits until the status bar shows `name` as served (globe icon, no spinner). */
async function waitForServed(page: Page, name: string): Promise<void> {
  await page.locator(STATUS_ITEM).filter({ hasText: name }).locator('.codicon-globe').waitFor({ timeout: 60_000 });
}

/**
 * A sandbox (demo copy, daemon home) and a code-server with the packaged extension installed,
 * for one suite; `near` spreads the suites' ports apart.
 */
function useCodeServer(near: number, before?: () => void): { sandbox: () => DaemonSandbox; codeServer: () => CodeServer; port: () => number } {
  let codeServer: CodeServer | undefined;
  let port = 0;
  const sandbox = useSandbox({
    requires: ['django', 'code-server', 'chromium'],
    prepare: async (created) => {
      assert.ok(existsSync(VSIX), `${VSIX} is missing: run npm run package first`);
      before?.();
      port = await choosePort(near + (process.pid % 1000));
      codeServer = new CodeServer({ vsix: VSIX, env: created.env, settings: userSettings(port) });
      await codeServer.start();
    },
    beforeDispose: async () => {
      await codeServer?.stop();
    },
  });
  const started = (): CodeServer => {
    if (!codeServer) throw new Error('code-server runs only while the suite runs');
    return codeServer;
  };
  return { sandbox, codeServer: started, port: () => port };
}

describe('the Sites view in real VS Code (code-server + Chromium)', function () {
  const suite = useCodeServer(21_000, () => {
    mkdirSync(SCREENSHOTS_DIR, { recursive: true });
    rmSync(SCREENSHOT, { force: true }); // the check below must see this run's picture
  });
  const { sandbox } = suite;

  it('lists the sites, serves the clicked one and shows it in the status bar', async () => {
    const page = await suite.codeServer().open(`?folder=${encodeURIComponent(sandbox().demo)}`);
    await page.getByRole('tab', { name: /Multi-Site/ }).click();
    const row = (name: string) => page.getByRole('treeitem', { name: new RegExp(name) });
    for (const name of ['Alpha News', 'Beta Shop', 'Gamma Blog']) await row(name).waitFor({ timeout: 60_000 });
    // Each site row shows where it answers beside the others: <site>.<project>.localhost:<port>.
    assert.match(await row('Beta Shop').innerText(), new RegExp(`#2 · beta\\.${projectLabel(sandbox().demo)}\\.localhost:${suite.port()}$`));

    await page.locator(STATUS_ITEM).waitFor({ timeout: 30_000 });
    await row('Beta Shop').click();
    await waitForServed(page, 'Beta Shop');
    assert.equal(await statusText(page), 'Beta Shop');
    const page1 = await fetchText(`http://127.0.0.1:${suite.port()}/`);
    assert.match(page1.body, /<h1 id="site-name">Beta Shop<\/h1>/);

    // The site expands to its domains, each with where it was declared.
    await row('Beta Shop').locator('.monaco-tl-twistie').click();
    const live = row('^beta-shop\\.example');
    await live.waitFor({ timeout: 10_000 });
    assert.match(await live.innerText(), /Live · demo\/settings\.py:\d+/);
    assert.match(await row('^beta\\.demo\\.divio\\.me').innerText(), /Test · demo\/settings\.py:\d+/);

    // The server's log is one click away, in the view's title bar: Beta Shop's own runserver,
    // behind the proxy on an internal port, its lines labelled with the site.
    await page.getByRole('button', { name: 'Show Server Log' }).click();
    const beta = (await statusOf(sandbox())).project?.backends.find((b) => b.site === 'beta');
    assert.ok(beta?.url && beta.url !== `http://127.0.0.1:${suite.port()}/`, `Beta Shop has a server of its own behind the proxy: ${JSON.stringify(beta)}`);
    await page.locator('.part.panel').getByText(`[Beta Shop] Starting development server at ${beta.url}`).waitFor({ timeout: 10_000 });
    await page.mouse.move(900, 250);
    await page.screenshot({ path: SCREENSHOT });

    // The status bar offers the sites in a quick pick.
    await page.locator(STATUS_ITEM).click();
    const pick = page.locator('.quick-input-widget');
    await pick.getByText('Gamma Blog').waitFor({ timeout: 10_000 });
    assert.match(await pick.innerText(), /Alpha News[\s\S]*Beta Shop[\s\S]*Gamma Blog/);
    await pick.getByText('Gamma Blog').click();
    await waitForServed(page, 'Gamma Blog');
    assert.match((await fetchText(`http://127.0.0.1:${suite.port()}/`)).body, /<h1 id="site-name">Gamma Blog<\/h1>/);

    await statusOf(sandbox());

    // Hosts mode from the Command Palette: entries land in the (temp) hosts file, the status bar says so.
    const originalHosts = readFileSync(sandbox().hostsFile, 'utf8');
    const runCommand = async (title: string): Promise<void> => {
      await page.keyboard.press('F1');
      await page.keyboard.type(title);
      await page.locator('.quick-input-widget').getByText(title, { exact: false }).first().waitFor({ timeout: 10_000 });
      await page.keyboard.press('Enter');
    };
    await runCommand('Multi-Site: Use Hosts Mode');
    await page.locator(STATUS_ITEM).locator('.codicon-server-environment').waitFor({ timeout: 60_000 });
    await waitForServed(page, 'Gamma Blog');
    assert.match(readFileSync(sandbox().hostsFile, 'utf8'), /^127\.0\.0\.1\tgamma-blog\.example$/m);
    assert.equal((await statusOf(sandbox())).mode, 'hosts');
    await runCommand('Multi-Site: Clean Up Hosts Entries');
    await page.locator(STATUS_ITEM).locator('.codicon-server-environment').waitFor({ state: 'detached', timeout: 60_000 });
    assert.equal(readFileSync(sandbox().hostsFile, 'utf8'), originalHosts);

    await statusOf(sandbox());
    assert.ok(readFileSync(SCREENSHOT).length > 10_000, 'the screenshot was written');
    await suite.codeServer().stop();
    await sandbox().cli(['daemon', 'stop']);
    // Every server the run started (the proxy's warm ones and the hosts-mode one) stopped with the daemon.
    for (const pid of sandbox().startedGroups) assert.equal(groupAlive(pid), false, `server group ${pid} outlived the daemon`);
  });
});

describe("a site's own address, opened from the Sites view", function () {
  const suite = useCodeServer(23_000);
  const { sandbox } = suite;

  it('opens another site in a browser tab of its own while the current site stays', async () => {
    const page = await suite.codeServer().open(`?folder=${encodeURIComponent(sandbox().demo)}`);
    await page.getByRole('tab', { name: /Multi-Site/ }).click();
    const row = (name: string) => page.getByRole('treeitem', { name: new RegExp(name) });
    await row('Gamma Blog').waitFor({ timeout: 60_000 });
    const gammaUrl = `http://gamma.${projectLabel(sandbox().demo)}.localhost:${suite.port()}/`;
    assert.match(await row('Gamma Blog').innerText(), new RegExp(`#3 · ${new URL(gammaUrl).host.replace(/\./g, '\\.')}$`));

    await page.locator(STATUS_ITEM).waitFor({ timeout: 30_000 });
    await row('Alpha News').click();
    await waitForServed(page, 'Alpha News');

    // Gamma Blog's first child is its address; a click opens it in the browser.
    await row('Gamma Blog').locator('.monaco-tl-twistie').click();
    const address = page.getByRole('treeitem').filter({ hasText: gammaUrl }); // its accessible name is its tooltip
    await address.waitFor({ timeout: 10_000 });
    assert.match(await address.innerText(), /this site here, beside the others/);
    const opened = page.context().waitForEvent('page', { timeout: 60_000 });
    await address.click();
    // VS Code trusts only localhost and 127.0.0.1 without asking (isLocalhostAuthority), so a
    // `.localhost` subdomain gets the link protection prompt: a person clicks Open.
    const prompt = page.locator('.monaco-dialog-box');
    await prompt.getByText('open the external website').waitFor({ timeout: 60_000 });
    assert.match(await prompt.innerText(), new RegExp(gammaUrl.replace(/[./]/g, '\\$&')));
    await prompt.getByRole('button', { name: 'Open', exact: true }).click();
    const site = await opened;
    await site.waitForURL((url) => url.protocol !== 'about:', { timeout: 30_000 }); // a new tab starts blank
    await site.waitForLoadState();
    assert.equal(site.url(), gammaUrl, 'code-server passes a .localhost subdomain through as it is (no /proxy/<port>/ rewrite)');
    assert.equal(await site.locator('h1#site-name').innerText(), 'Gamma Blog');

    // The current site is still Alpha News, in the status bar and at the bare address.
    assert.equal(await statusText(page), 'Alpha News');
    assert.match((await fetchText(`http://127.0.0.1:${suite.port()}/`)).body, /<h1 id="site-name">Alpha News<\/h1>/);
    const status = await statusOf(sandbox());
    assert.equal(status.currentSite?.slug, 'alpha');
    assert.equal(status.project?.backends.find((b) => b.site === 'gamma')?.phase, 'running', 'Gamma Blog stays warm beside Alpha News');
    // ...and the Sites view shows Gamma Blog warm beside it.
    await row('Gamma Blog').locator('.codicon-vm-running').waitFor({ timeout: 10_000 });
  });
});

describe('the extension-host test suite, run inside code-server', function () {
  let codeServer: CodeServer;
  let results: string;

  const sandbox = useSandbox({
    requires: ['django', 'code-server', 'chromium'],
    prepare: async (created) => {
      results = path.join(created.home, 'extension-tests.txt');
      codeServer = new CodeServer({
        env: { ...created.env, MULTISITE_LOCAL_TEST_RESULTS: results },
        settings: { 'security.workspace.trust.enabled': false, 'multisiteLocal.port': await choosePort(22_000 + (process.pid % 1000)) },
      });
      await codeServer.start();
    },
    beforeDispose: async () => {
      await codeServer?.stop();
    },
  });

  it('passes (the same suite npm run test:vscode runs in desktop VS Code)', async () => {
    const remote = (file: string): string => `vscode-remote://127.0.0.1:${codeServer.port}${file}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(REPO_ROOT)],
      ['extensionTestsPath', remote(path.join(REPO_ROOT, 'dist', 'test', 'extensionTests.js'))],
    ]);
    await codeServer.open(`?folder=${encodeURIComponent(sandbox().demo)}&payload=${encodeURIComponent(payload)}`);
    const deadline = Date.now() + 180_000;
    while (!existsSync(results)) {
      if (Date.now() > deadline) throw new Error(`no results from the extension host; code-server said:\n${codeServer.log.join('')}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const report = readFileSync(results, 'utf8');
    console.log(report.replace(/^/gm, '      '));
    assert.match(report, /^[1-9]\d* passed, 0 failed$/m);
  });
});
