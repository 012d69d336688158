/**
 * The product as a person uses it: real VS Code (code-server) in headless
 * Chromium with the packaged .vsix installed, the demo project open, a click
 * on a site in the Sites view, the status bar, and the served page; another
 * site's own `.localhost` address opened in a browser tab beside the current one.
 */
import * as assert from 'node:assert/strict';
import type { SitesResult } from '../../protocol/protocol';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { choosePort } from '../../daemon/runners/freePort';
import { groupAlive } from '../../daemon/base/processGroup';
import { CodeServer } from '../support/codeServer';
import { useSandbox } from '../support/useSandbox';
import { REPO_ROOT } from '../support/demoProject';
import { fetchText } from '../support/http';
import {
  STATUS_ITEM,
  openMultiSite,
  projectLabel,
  row,
  runCommand,
  screenshot,
  statusOf,
  statusText,
  useCodeServer,
  waitForServed,
} from '../support/workbench';

describe('the Sites view in real VS Code (code-server + Chromium)', function () {
  const suite = useCodeServer(21_000);
  const { sandbox } = suite;

  it('lists the sites, serves the clicked one and shows it in the status bar', async () => {
    const page = await suite.codeServer().open(`?folder=${encodeURIComponent(sandbox().demo)}`);
    await openMultiSite(page);
    for (const name of ['Alpha News', 'Beta Shop', 'Gamma Blog']) await row(page, name).waitFor({ timeout: 60_000 });
    // The project heads the tree, with its mode; each site row shows where it answers beside the others.
    assert.match(await row(page, `^${path.basename(sandbox().demo)}`).innerText(), /every site at once/);
    // Its address first, the project elided, so the port shows at the default width.
    assert.match(await row(page, 'Beta Shop').innerText(), new RegExp(`beta…:${suite.port()} · #2$`));

    await page.locator(STATUS_ITEM).waitFor({ timeout: 30_000 });
    await row(page, 'Beta Shop').click();
    // A cold site takes about a second: the status bar spins meanwhile (the picture is best effort).
    const spinning = page.locator(STATUS_ITEM).locator('.codicon-sync');
    if (
      await spinning.waitFor({ timeout: 2_000 }).then(
        () => true,
        () => false,
      )
    )
      await screenshot(page, 'switching');
    await waitForServed(page, 'Beta Shop', suite);
    assert.equal(await statusText(page), 'Beta Shop · every site at once');
    const page1 = await fetchText(`http://127.0.0.1:${suite.port()}/`);
    assert.match(page1.body, /<h1 id="site-name">Beta Shop<\/h1>/);
    // The current site's icon, and its address as its description.
    await row(page, 'Beta Shop').locator('.codicon-pass-filled').waitFor({ timeout: 10_000 });
    assert.match(await row(page, 'Beta Shop').innerText(), new RegExp(`127\\.0\\.0\\.1:${suite.port()} · #2$`));

    // The site expands to its domains, each with where it was declared.
    await row(page, 'Beta Shop').locator('.monaco-tl-twistie').click();
    const live = row(page, '^beta-shop\\.example');
    await live.waitFor({ timeout: 10_000 });
    assert.match(await live.innerText(), /Live · demo\/settings\.py:\d+/);
    assert.match(await row(page, '^beta\\.demo\\.divio\\.me').innerText(), /Test · demo\/settings\.py:\d+/);
    // ...and to its own port (issue 25), after its domains.
    const betaSite = (await sandbox().cliJson<SitesResult>(['sites'])).sites.find((s) => s.slug === 'beta');
    assert.match(betaSite?.portUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+\/$/);
    await page
      .getByRole('treeitem')
      .filter({ hasText: betaSite?.portUrl ?? '' })
      .waitFor({ timeout: 10_000 });

    // The server's log: the runserver behind the proxy serving Beta Shop (the one for every site), in the
    // project's log channel, its lines labelled with its label.
    await runCommand(page, 'Multi-Site: Show Server Log');
    const beta = (await statusOf(sandbox())).project?.backends.find((b) => b.site === 'beta' || b.site === null);
    assert.ok(beta?.url && beta.url !== `http://127.0.0.1:${suite.port()}/`, `Beta Shop is served by a server behind the proxy: ${JSON.stringify(beta)}`);
    await page.locator('.part.panel').getByText(`[${beta.label}] Starting development server at ${beta.url}`).waitFor({ timeout: 10_000 });
    await page.mouse.move(900, 250);
    await screenshot(page, 'sites-tree', { name: 'sites', clip: page.locator('.part.sidebar'), maxHeight: 330 });

    // The status bar offers the sites in a quick pick; so does the keybinding.
    await page.locator('.monaco-workbench').click({ position: { x: 700, y: 300 } });
    await page.keyboard.press('Control+Alt+S');
    const pick = page.locator('.quick-input-widget');
    await pick.getByText('Gamma Blog').waitFor({ timeout: 10_000 });
    assert.match(await pick.innerText(), /Alpha News[\s\S]*Beta Shop[\s\S]*Gamma Blog/);
    await screenshot(page, 'quick-pick', { name: 'pick', clip: pick });
    await page.keyboard.press('Escape');
    await page.locator(STATUS_ITEM).click();
    await pick.getByText('Gamma Blog').click();
    await waitForServed(page, 'Gamma Blog', suite);
    assert.match((await fetchText(`http://127.0.0.1:${suite.port()}/`)).body, /<h1 id="site-name">Gamma Blog<\/h1>/);

    await statusOf(sandbox());

    // Hosts mode from the Command Palette: entries land in the (temp) hosts file, the status bar says so in the warning colour.
    const originalHosts = readFileSync(sandbox().hostsFile, 'utf8');
    await runCommand(page, 'Multi-Site: Use Hosts Mode');
    await page.locator(STATUS_ITEM).locator('.codicon-server-environment').waitFor({ timeout: 60_000 });
    await waitForServed(page, 'Gamma Blog · hosts', suite);
    assert.match(readFileSync(sandbox().hostsFile, 'utf8'), /^127\.0\.0\.1\tgamma-blog\.example$/m);
    assert.equal((await statusOf(sandbox())).mode, 'hosts');
    assert.match(await row(page, `^${path.basename(sandbox().demo)}`).innerText(), /hosts mode/);
    await page
      .locator('.notifications-toasts')
      .waitFor({ state: 'hidden', timeout: 15_000 })
      .catch(() => undefined);
    await screenshot(page, 'hosts-mode', { name: 'hosts', clip: page.locator('.part.sidebar'), maxHeight: 200 });
    await runCommand(page, 'Multi-Site: Clean Up Hosts Entries');
    await page.locator(STATUS_ITEM).locator('.codicon-server-environment').waitFor({ state: 'detached', timeout: 60_000 });
    assert.equal(readFileSync(sandbox().hostsFile, 'utf8'), originalHosts);

    await statusOf(sandbox());
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
    await openMultiSite(page);
    await row(page, 'Gamma Blog').waitFor({ timeout: 60_000 });
    const gammaUrl = `http://gamma.${projectLabel(sandbox().demo)}.localhost:${suite.port()}/`;
    assert.match(await row(page, 'Gamma Blog').innerText(), new RegExp(`gamma…:${suite.port()} · #3$`));

    await page.locator(STATUS_ITEM).waitFor({ timeout: 30_000 });
    await row(page, 'Alpha News').click();
    await waitForServed(page, 'Alpha News', suite);

    // Gamma Blog's first child is its address; a click opens it in the browser.
    await row(page, 'Gamma Blog').locator('.monaco-tl-twistie').click();
    const address = page.getByRole('treeitem').filter({ hasText: gammaUrl }); // its accessible name is its tooltip
    await address.waitFor({ timeout: 10_000 });
    assert.equal((await address.innerText()).trim(), gammaUrl);
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
    assert.equal(await statusText(page), 'Alpha News · every site at once');
    assert.match((await fetchText(`http://127.0.0.1:${suite.port()}/`)).body, /<h1 id="site-name">Alpha News<\/h1>/);
    const status = await statusOf(sandbox());
    assert.equal(status.currentSite?.slug, 'alpha');
    assert.equal(status.project?.backends.find((b) => b.site === 'gamma' || b.site === null)?.phase, 'running', 'Gamma Blog stays warm beside Alpha News');
    // ...and the Sites view shows Gamma Blog warm beside it.
    await row(page, 'Gamma Blog').locator('.codicon-vm-running').waitFor({ timeout: 10_000 });
  });
});

describe('the extension-host test suite, run inside code-server', function () {
  let codeServer: CodeServer;
  let results: string;

  const sandbox = useSandbox({
    requires: ['django', 'debugpy', 'code-server', 'chromium'],
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
