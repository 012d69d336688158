/**
 * The product as a person uses it: real VS Code (code-server) in headless
 * Chromium with the packaged .vsix installed, the demo project open, a click
 * on a site in the Sites view, the status bar, and the served page.
 */
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { choosePort } from '../../daemon/runners/freePort';
import { groupAlive } from '../../daemon/runners/processGroup';
import { CodeServer } from '../support/codeServer';
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

async function statusText(page: Page): Promise<string> {
  return (await page.locator(STATUS_ITEM).innerText()).trim();
}

/** Waits until the status bar shows `name` as served (globe icon, no spinner). */
async function waitForServed(page: Page, name: string): Promise<void> {
  await page.locator(STATUS_ITEM).filter({ hasText: name }).locator('.codicon-globe').waitFor({ timeout: 60_000 });
}

describe('the Sites view in real VS Code (code-server + Chromium)', function () {
  let codeServer: CodeServer;
  let port: number;

  const sandbox = useSandbox({
    requires: ['django', 'code-server', 'chromium'],
    prepare: async (created) => {
      assert.ok(existsSync(VSIX), `${VSIX} is missing: run npm run package first`);
      mkdirSync(SCREENSHOTS_DIR, { recursive: true });
      rmSync(SCREENSHOT, { force: true }); // the check below must see this run's picture
      port = await choosePort(21_000 + (process.pid % 1000));
      codeServer = new CodeServer({
        vsix: VSIX,
        env: created.env,
        settings: {
          'security.workspace.trust.enabled': false,
          'multisiteLocal.port': port,
          'workbench.startupEditor': 'none',
          'workbench.tips.enabled': false,
          'telemetry.telemetryLevel': 'off',
          'extensions.autoCheckUpdates': false,
          'window.commandCenter': false,
        },
      });
      await codeServer.start();
    },
    beforeDispose: async () => {
      await codeServer?.stop();
    },
  });

  it('lists the sites, serves the clicked one and shows it in the status bar', async () => {
    const page = await codeServer.open(`?folder=${encodeURIComponent(sandbox().demo)}`);
    await page.getByRole('tab', { name: /Multi-Site/ }).click();
    const row = (name: string) => page.getByRole('treeitem', { name: new RegExp(name) });
    for (const name of ['Alpha News', 'Beta Shop', 'Gamma Blog']) await row(name).waitFor({ timeout: 60_000 });
    assert.match(await row('Beta Shop').innerText(), /#2 · beta-shop\.example/);

    await page.locator(STATUS_ITEM).waitFor({ timeout: 30_000 });
    await row('Beta Shop').click();
    await waitForServed(page, 'Beta Shop');
    assert.equal(await statusText(page), 'Beta Shop');
    const page1 = await fetchText(`http://127.0.0.1:${port}/`);
    assert.match(page1.body, /<h1 id="site-name">Beta Shop<\/h1>/);

    // The site expands to its domains, each with where it was declared.
    await row('Beta Shop').locator('.monaco-tl-twistie').click();
    const live = row('^beta-shop\\.example');
    await live.waitFor({ timeout: 10_000 });
    assert.match(await live.innerText(), /Live · demo\/settings\.py:\d+/);
    assert.match(await row('^beta\\.demo\\.divio\\.me').innerText(), /Test · demo\/settings\.py:\d+/);

    // The server's log is one click away, in the view's title bar.
    await page.getByRole('button', { name: 'Show Server Log' }).click();
    await page.locator('.part.panel').getByText(`Starting development server at http://127.0.0.1:${port}/`).waitFor({ timeout: 10_000 });
    await page.mouse.move(900, 250);
    await page.screenshot({ path: SCREENSHOT });

    // The status bar offers the sites in a quick pick.
    await page.locator(STATUS_ITEM).click();
    const pick = page.locator('.quick-input-widget');
    await pick.getByText('Gamma Blog').waitFor({ timeout: 10_000 });
    assert.match(await pick.innerText(), /Alpha News[\s\S]*Beta Shop[\s\S]*Gamma Blog/);
    await pick.getByText('Gamma Blog').click();
    await waitForServed(page, 'Gamma Blog');
    assert.match((await fetchText(`http://127.0.0.1:${port}/`)).body, /<h1 id="site-name">Gamma Blog<\/h1>/);

    sandbox().startedGroups.add((await sandbox().cliJson<{ server: { pid: number } }>(['status'])).server.pid);

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
    const hostsState = await sandbox().cliJson<{ mode: string; server: { pid: number } }>(['status']);
    assert.equal(hostsState.mode, 'hosts');
    sandbox().startedGroups.add(hostsState.server.pid);
    await runCommand('Multi-Site: Clean Up Hosts Entries');
    await page.locator(STATUS_ITEM).locator('.codicon-server-environment').waitFor({ state: 'detached', timeout: 60_000 });
    assert.equal(readFileSync(sandbox().hostsFile, 'utf8'), originalHosts);

    const status = await sandbox().cliJson<{ server: { pid: number } }>(['status']);
    sandbox().startedGroups.add(status.server.pid);
    assert.ok(readFileSync(SCREENSHOT).length > 10_000, 'the screenshot was written');
    await codeServer.stop();
    await sandbox().cli(['daemon', 'stop']);
    assert.equal(groupAlive(status.server.pid), false);
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
