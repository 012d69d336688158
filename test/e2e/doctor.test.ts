/**
 * The doctor as a person meets it, in real VS Code on a project with a forced
 * SITE_ID and a narrow ALLOWED_HOSTS: its findings in the Doctor view and the
 * Problems panel on their lines; a check before hosts mode that asks first;
 * and the one-click fix that leaves hosts mode again.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { FIXTURES } from '../support/demoProject';
import { openMultiSite, row, runCommand, screenshot, STATUS_ITEM, statusOf, useCodeServer } from '../support/workbench';

describe('the doctor in real VS Code, on a project with a forced SITE_ID and a narrow ALLOWED_HOSTS', function () {
  const suite = useCodeServer(25_000, { sandbox: { project: { source: path.join(FIXTURES, 'forced-site-id'), setup: true } } });
  const { sandbox } = suite;

  it('lists the findings on their lines, asks before hosts mode, and fixes it in one click', async () => {
    const page = await suite.codeServer().open(`?folder=${encodeURIComponent(sandbox().demo)}`);
    await openMultiSite(page);
    await row(page, 'North News').waitFor({ timeout: 60_000 });

    // The Doctor view: each finding with its code and place; errors and warnings counted on the view.
    const doctor = page.getByRole('button', { name: /^Doctor/ }).first();
    await doctor.click();
    const finding = (code: string) => page.getByRole('treeitem').filter({ hasText: `${code} · ` }); // the description: code · file:line
    await finding('forced-site-id').waitFor({ timeout: 30_000 });
    assert.match(await finding('forced-site-id').innerText(), /forced-site-id · forcedsite\/settings\.py:17/);
    assert.match(await finding('allowed-hosts').innerText(), /north-news\.example[\s\S]*allowed-hosts · forcedsite\/settings\.py:15/);

    // The Problems panel has them too, on those lines of settings.py.
    await page.keyboard.press('Control+Shift+M');
    const problems = page.locator('.markers-panel');
    await problems.getByText('forces SITE_ID=1').first().waitFor({ timeout: 10_000 });
    assert.match(await problems.innerText(), /settings\.py[\s\S]*ALLOWED_HOSTS/);
    await screenshot(page, 'doctor', { name: 'doctor', clip: page.locator('.pane').filter({ has: page.locator('.pane-header', { hasText: /Doctor/i }) }) });

    // A click on a finding opens its line.
    await finding('allowed-hosts').click();
    await page.getByRole('tab', { name: /settings\.py/ }).waitFor({ timeout: 10_000 });

    // Hosts mode is checked first: the errors are named, and nothing changes unless the person goes on.
    const originalHosts = readFileSync(sandbox().hostsFile, 'utf8');
    await runCommand(page, 'Multi-Site: Use Hosts Mode');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.getByText('Hosts mode would not work for').waitFor({ timeout: 30_000 });
    assert.match(await dialog.innerText(), /forces SITE_ID=1[\s\S]*ALLOWED_HOSTS/);
    await dialog.getByRole('button', { name: 'Show Doctor' }).click();
    assert.equal(readFileSync(sandbox().hostsFile, 'utf8'), originalHosts);
    assert.equal((await statusOf(sandbox())).mode, 'env');

    await runCommand(page, 'Multi-Site: Use Hosts Mode');
    await dialog.getByText('Hosts mode would not work for').waitFor({ timeout: 30_000 });
    await dialog.getByRole('button', { name: 'Use Hosts Mode Anyway' }).click();
    await page.locator(STATUS_ITEM).locator('.codicon-server-environment').waitFor({ timeout: 60_000 });
    assert.match(readFileSync(sandbox().hostsFile, 'utf8'), /north-news\.example/);

    // In hosts mode the forced SITE_ID is an error with a fix: one click leaves hosts mode and the hosts file is as it was.
    // An error in SITE_ID mode already (switching cannot work); in hosts mode it is hosts mode's own, with its fix.
    const forced = finding('forced-site-id').filter({ hasText: 'breaks hosts mode' });
    await forced.locator('.codicon-error').waitFor({ timeout: 30_000 });
    await forced.hover();
    await forced.getByRole('button', { name: 'Apply Fix' }).click();
    await page.locator(STATUS_ITEM).locator('.codicon-server-environment').waitFor({ state: 'detached', timeout: 60_000 });
    assert.equal(readFileSync(sandbox().hostsFile, 'utf8'), originalHosts);
    assert.equal((await statusOf(sandbox())).mode, 'env');
  });
});
