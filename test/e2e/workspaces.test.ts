/**
 * Windows with more than one project, or none that declares sites: a
 * multi-root workspace lists each folder with a manage.py as a project of its
 * own, each started and stopped from its row; a Django project where no site
 * was found lists what was tried, and its next step writes a multisite.json
 * from what was detected.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { copyDemo, copyProject, FIXTURES } from '../support/demoProject';
import { tempFolder } from '../support/tempProject';
import { contextMenu, openMultiSite, pictureOnFailure, row, runCommand, screenshot, statusOf, useCodeServer } from '../support/workbench';

describe('several projects in one multi-root window, and a project without sites', function () {
  let second = '';
  let third = '';
  let noSites = '';
  let workspaceDir = '';
  const suite = useCodeServer(26_000, {
    before: () => {
      second = copyDemo();
      third = copyDemo();
      noSites = copyProject(path.join(FIXTURES, 'no-sites'), false);
      // A venv that sees the system's Django, and no migrate: Django answers, and its Sites table has no row.
      execFileSync('/usr/bin/python3', ['-m', 'venv', '--system-site-packages', '.venv'], { cwd: noSites, stdio: 'pipe' });
      workspaceDir = tempFolder('workspace');
    },
  });
  const { sandbox } = suite;
  after(() => {
    for (const dir of [second, third, noSites, workspaceDir]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lists each folder with a manage.py as a project, started and stopped from its own row', async () => {
    const workspace = path.join(workspaceDir, 'two.code-workspace');
    writeFileSync(workspace, JSON.stringify({ folders: [{ path: sandbox().demo }, { path: second }] }));
    const page = await suite.codeServer().open(`?workspace=${encodeURIComponent(workspace)}`);
    await openMultiSite(page);
    const [first, other] = [path.basename(sandbox().demo), path.basename(second)];
    // A project's row by its name at the start: a site row's `.localhost` address may contain it too.
    const projectRow = (name: string) => page.getByRole('treeitem', { name: new RegExp(`^${name}\\b`) });
    await projectRow(first).waitFor({ timeout: 60_000 });
    await projectRow(other).waitFor({ timeout: 60_000 });
    assert.equal(await page.getByRole('treeitem', { name: /^Beta Shop/ }).count(), 2, 'each project lists its own sites');

    // One site in each project: both serve, each on its own port.
    // Which project the view lists first: its sites' rows come first too.
    const top = async (name: string): Promise<number> => (await projectRow(name).boundingBox())?.y ?? 0;
    const order = (await top(first)) < (await top(other)) ? [first, other] : [other, first];
    const inProject = (name: string, site: string) => page.getByRole('treeitem', { name: new RegExp(`^${site}`) }).nth(order.indexOf(name));
    await inProject(first, 'Alpha News').click();
    await inProject(first, 'Alpha News').locator('.codicon-pass-filled').waitFor({ timeout: 60_000 });
    // The other project from its own row: Start Project serves its first site.
    await projectRow(other).hover();
    await projectRow(other).getByRole('button', { name: 'Start Project' }).click();
    await inProject(other, 'Alpha News').locator('.codicon-pass-filled').waitFor({ timeout: 60_000 });
    await inProject(other, 'Gamma Blog').click();
    await inProject(other, 'Gamma Blog').locator('.codicon-pass-filled').waitFor({ timeout: 60_000 });
    const [a, b] = await Promise.all([statusOf(sandbox(), sandbox().demo), statusOf(sandbox(), second)]);
    assert.equal(a.currentSite?.slug, 'alpha');
    assert.equal(b.currentSite?.slug, 'gamma');
    const port = (text: string): string => /port (\d+)/.exec(text)?.[1] ?? '';
    const [portA, portB] = [port(await projectRow(first).innerText()), port(await projectRow(other).innerText())];
    assert.ok(portA && portB && portA !== portB, `each project on its own port: ${portA}, ${portB}`);

    // Stop the first from its row: the second keeps serving.
    await projectRow(first).hover();
    await projectRow(first).getByRole('button', { name: 'Stop Server' }).click();
    await inProject(first, 'Alpha News').locator('.codicon-circle-large-outline').waitFor({ timeout: 30_000 }).catch(pictureOnFailure(page, 'project-stopped'));
    assert.equal((await statusOf(sandbox(), second)).currentSite?.slug, 'gamma');
    await inProject(other, 'Gamma Blog').locator('.codicon-pass-filled').waitFor({ timeout: 10_000 });

    // Every project of the window at once, from the Command Palette: all start, then all stop.
    await runCommand(page, 'Multi-Site: Start All Projects');
    await inProject(first, 'Alpha News').locator('.codicon-pass-filled').waitFor({ timeout: 60_000 });
    await runCommand(page, 'Multi-Site: Stop All Projects');
    for (const name of [first, other]) await projectRow(name).locator('.codicon-server').waitFor({ timeout: 30_000 });
    assert.equal((await statusOf(sandbox(), second)).server.pid, null);

    // The second shares the first's database and a third's, one that is no folder of this window (both declared
    // in its multisite.json), and has a migration they lack. The third shows as a project of its own; starting the
    // second asks first: Cancel starts nothing; the group's start asks once and starts all three.
    writeFileSync(path.join(second, 'multisite.json'), JSON.stringify({ sharedDatabase: [sandbox().demo, third] }));
    writeFileSync(
      path.join(second, 'demo', 'migrations', '0002_price.py'),
      'from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n    dependencies = [("demo", "0001_demo_sites")]\n    operations = []\n',
    );
    const outside = path.basename(third);
    // The rows say so once the daemon has read the new multisite.json (its watcher, at once with Refresh).
    await runCommand(page, 'Multi-Site: Refresh Sites');
    const sharing = (name: string, ...others: string[]) =>
      projectRow(name)
        .getByText(new RegExp(`shares its database with ${others.map((o) => `(?=.*\\b${o}\\b)`).join('')}`))
        .waitFor({ timeout: 30_000 });
    await sharing(other, first, outside).catch(pictureOnFailure(page, 'group-shown'));
    // Mutual: the first and the third share the second's database though their own multisite.json says nothing.
    await sharing(first, other, outside);
    await sharing(outside, first, other);
    const dialog = page.locator('.monaco-dialog-box');
    await inProject(other, 'Beta Shop').click();
    await dialog
      .getByText('The projects sharing this database run other migrations.')
      .waitFor({ timeout: 30_000 })
      .catch(pictureOnFailure(page, 'schema-guard'));
    assert.match(await dialog.innerText(), /demo\.0002_price is missing in/);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    for (const project of [second, sandbox().demo, third])
      assert.equal((await statusOf(sandbox(), project)).server.pid ?? null, null, `nothing started without a confirmation (${project})`);

    await contextMenu(page, projectRow(other), 'Start Projects Sharing This Database');
    await dialog.getByRole('button', { name: 'Start Anyway' }).click();
    for (const name of [first, other, outside])
      await projectRow(name)
        .locator('.codicon-server-process')
        .waitFor({ timeout: 90_000 })
        .catch(pictureOnFailure(page, `group-started-${name}`));
    assert.equal(await dialog.count(), 0, 'one question for the whole group');
    const ports = await Promise.all([second, sandbox().demo, third].map(async (p) => (await statusOf(sandbox(), p)).server.url ?? ''));
    assert.equal(new Set(ports).size, 3, `each on its own port: ${ports.join(', ')}`);

    // Migrating the drifting group is refused, whatever the person answers; the doctor says why.
    await contextMenu(page, projectRow(other), 'Migrate Database');
    await page
      .locator('.notifications-toasts')
      .getByText(/^Not migrating /)
      .waitFor({ timeout: 30_000 })
      .catch(pictureOnFailure(page, 'migrate-refused'));

    await contextMenu(page, projectRow(outside), 'Stop Projects Sharing This Database');
    for (const name of [first, other, outside]) await projectRow(name).locator('.codicon-server').waitFor({ timeout: 30_000 });
  });

  it('lists what was tried where no site was found, and the next step writes a multisite.json', async () => {
    const page = await suite.codeServer().open(`?folder=${encodeURIComponent(noSites)}`);
    await openMultiSite(page);
    const name = path.basename(noSites);
    await page.getByText(`No site was found in ${name}`).waitFor({ timeout: 60_000 }).catch(pictureOnFailure(page, 'no-sites-message'));
    assert.match(await row(page, `^${name}`).innerText(), /no site found/);
    // What was tried, one row each: the value, then what it is.
    // The files' reading shows first; Django's answer (the interpreter, the frameworks) follows.
    const python = path.join(noSites, '.venv', 'bin', 'python');
    await page.getByRole('treeitem').filter({ hasText: python }).waitFor({ timeout: 60_000 }).catch(pictureOnFailure(page, 'no-sites-django'));
    const tried = async (label: string): Promise<string[]> => {
      const rows = page.getByRole('treeitem').filter({ hasText: label });
      await rows
        .first()
        .waitFor({ timeout: 30_000 })
        .catch(pictureOnFailure(page, `no-sites-${label}`));
      const names = await rows.locator('.label-name').allInnerTexts();
      const descriptions = await rows.locator('.label-description').allInnerTexts();
      return names.map((name, i) => `${name.trim()} · ${descriptions[i]?.trim()}`);
    };
    assert.deepEqual(await tried('Settings module'), ['plain.settings · Settings module']);
    assert.deepEqual(await tried('Interpreter'), [`${python} · Interpreter`]);
    assert.deepEqual(await tried('Frameworks'), ['django.contrib.sites · Frameworks']);
    assert.equal((await tried('Looked in')).length, 3);
    await screenshot(page, 'no-site-found');
    await row(page, '^Write multisite.json').click();
    await page.getByRole('tab', { name: /multisite\.json/ }).waitFor({ timeout: 10_000 });
    const file = path.join(noSites, 'multisite.json');
    assert.ok(existsSync(file));
    const written = JSON.parse(readFileSync(file, 'utf8')) as { runner: string; port: number; sites: object };
    assert.equal(written.runner, 'local');
    assert.equal(written.port, suite.port());
    assert.deepEqual(written.sites, {});
  });
});
