/**
 * Populate Sites as a person meets it in real VS Code (issue 22): a
 * django-multisite-plus 0.7.2 project on a fresh database (its venv and
 * `migrate`, not the deployment's populate commands). The Sites view says above
 * the rows that the table is empty; the project's row offers Populate Sites;
 * once it ran, the message is gone and Django has the sites.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import type { SitesResult } from '../../protocol/protocol';
import { FIXTURES } from '../support/demoProject';
import { FRAMEWORKS, cleanEnv } from '../support/standInServer';
import { contextMenu, openMultiSite, pictureOnFailure, row, useCodeServer } from '../support/workbench';

describe('Populate Sites in real VS Code, on a django-multisite-plus project whose table is empty', function () {
  const suite = useCodeServer(26_000, {
    // setup.sh without its populate commands.
    before: () => {
      const demo = suite.sandbox().demo;
      execFileSync('sh', [path.join(FRAMEWORKS, 'install.sh'), demo], { env: cleanEnv(), stdio: 'pipe' });
      execFileSync(path.join(demo, '.venv', 'bin', 'python'), ['manage.py', 'migrate', '--noinput', '-v', '0'], { cwd: demo, env: cleanEnv(), stdio: 'pipe' });
    },
    sandbox: { project: { source: path.join(FIXTURES, 'multisite-plus-divio'), setup: false }, env: { PYTHONDONTWRITEBYTECODE: '1' } },
  });
  const { sandbox } = suite;

  it('says the table is empty above the rows, and Populate Sites on the project row fills it', async () => {
    const page = await suite.codeServer().open(`?folder=${encodeURIComponent(sandbox().demo)}`);
    await openMultiSite(page);
    const message = page.getByText("django-multisite-plus's table of sites is empty in");
    await message.waitFor({ timeout: 60_000 }).catch(pictureOnFailure(page, 'populate-message'));
    const project = row(page, path.basename(sandbox().demo));
    // The message is set before the rows redraw: the project's row says it a moment later.
    await project.filter({ hasText: 'sites table empty' }).waitFor({ timeout: 10_000 }).catch(pictureOnFailure(page, 'populate-row-empty'));

    await contextMenu(page, project, 'Populate Sites');
    await message.waitFor({ state: 'detached', timeout: 60_000 }).catch(pictureOnFailure(page, 'populate-done'));
    // The rows redraw after the message: the project's row no longer says it.
    await project.filter({ hasNotText: 'sites table empty' }).waitFor({ timeout: 10_000 }).catch(pictureOnFailure(page, 'populate-row'));
    const listed = await sandbox().cliJson<SitesResult>(['sites']);
    assert.deepEqual(
      listed.sites.map((s) => s.domains.local[0]),
      ['harbour.divio.me', 'orchard.divio.me', 'quarry.divio.me'],
    );
  });
});
