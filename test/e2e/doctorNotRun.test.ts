/**
 * The doctor in real VS Code on a project whose settings cannot be imported
 * (test/fixtures/settings-missing-module, cookiecutter-django shaped, in an
 * environment without django-environ): the Doctor view names the missing
 * module with the interpreter and the import's line, which a click opens,
 * lists the checks that could not run as such, and never shows its "No
 * problems found" welcome. Its picture is the README's doctor-not-run.png.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { FIXTURES } from '../support/demoProject';
import { FRAMEWORKS, cleanEnv } from '../support/standInServer';
import { openMultiSite, screenshot, useCodeServer } from '../support/workbench';

describe('the doctor in real VS Code, on settings that import a module the interpreter lacks', function () {
  const suite = useCodeServer(26_000, {
    sandbox: { project: { source: path.join(FIXTURES, 'settings-missing-module'), setup: false } },
    // A venv that sees the system's Django, and nothing the requirements name.
    before: (sandbox) => void execFileSync('sh', [path.join(FRAMEWORKS, 'install.sh'), sandbox.demo], { env: cleanEnv(), stdio: 'pipe' }),
  });
  const { sandbox } = suite;

  it('names the module and its line, lists the checks not run, and never says "No problems found"', async () => {
    const page = await suite.codeServer().open(`?folder=${encodeURIComponent(sandbox().demo)}`);
    await openMultiSite(page);
    const doctor = page.getByRole('button', { name: /^Doctor/ }).first();
    await doctor.click();
    const item = (description: string) => page.getByRole('treeitem').filter({ hasText: description });
    const setup = item('django-setup · config/settings/base.py:10');
    await setup.waitFor({ timeout: 60_000 });
    assert.match(await setup.innerText(), /The settings import environ \(config\/settings\/base\.py:10\), which \S+\/\.venv\/bin\/python cannot import/);
    await item('django-check · not run').waitFor({ timeout: 10_000 });
    assert.match(await item('django-check · not run').innerText(), /Django's system checks did not run/);
    await item('database · not run').waitFor({ timeout: 10_000 });
    const pane = page.locator('.pane').filter({ has: page.locator('.pane-header', { hasText: /Doctor/i }) });
    assert.doesNotMatch(await pane.innerText(), /No problems found/);
    // A click opens the import's line; the Problems panel has the finding on it, in full.
    await setup.click();
    await page.getByRole('tab', { name: /base\.py/ }).waitFor({ timeout: 10_000 });
    await page.keyboard.press('Control+Shift+M');
    await page.locator('.markers-panel').getByText('cannot import').first().waitFor({ timeout: 10_000 });
    // The Sites view (its first-run text is another picture's) folded, so the Doctor view shows whole.
    const sites = page.locator('.pane').filter({ has: page.locator('.pane-header', { hasText: /^Sites/i }) });
    await sites.locator('.pane-header').first().click();
    await sites.locator('.pane-body').waitFor({ state: 'hidden', timeout: 10_000 });
    await screenshot(page, 'doctor-not-run');
  });
});
