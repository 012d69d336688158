/**
 * The interpreter a person selects in the Python extension runs the project,
 * in real VS Code (code-server + Chromium). The Python extension cannot be
 * installed here, so a stand-in with its id and its API's shape
 * (test/fixtures/python-extension-standin) is packaged and installed beside
 * the product's .vsix; the product reaches it through @vscode/python-extension
 * as it reaches the real one. Before a selection the project's .venv runs it;
 * after `Python: Select Interpreter` the selected virtualenv does, and the
 * project row's tooltip and `status` say where it came from.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, realpathSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { ProjectInterpreter } from '../../protocol/protocol';
import { choosePort } from '../../daemon/runners/freePort';
import { CodeServer } from '../support/codeServer';
import { packagePythonStandIn } from '../support/pythonStandIn';
import { tempFolder } from '../support/tempProject';
import { useSandbox } from '../support/useSandbox';
import { openMultiSite, pictureOnFailure, row, runCommand, userSettings, VSIX } from '../support/workbench';

/**
 * Hovers `target` and resolves to the text of its hover once it contains `expected`, then closes it.
 * The tree redraws its rows when the daemon says something new (a row redrawn under a still mouse
 * shows no hover), so the mouse moves away and back until the hover shows.
 */
async function hoverText(page: Page, target: Locator, expected: string): Promise<string> {
  const hover = page.locator('.monaco-hover').filter({ hasText: expected }).first();
  for (let attempt = 1; ; attempt++) {
    await page.mouse.move(900, 400);
    await target.hover();
    const shown = await hover.waitFor({ timeout: 4_000 }).then(
      () => true,
      () => false,
    );
    if (shown) break;
    if (attempt === 6) {
      const hovers = await page.locator('.monaco-hover').allInnerTexts();
      await pictureOnFailure(page, 'python-selection-hover')(new Error(`no hover with "${expected}" (hovers shown: ${JSON.stringify(hovers)})`));
    }
  }
  const text = await hover.innerText();
  await page.mouse.move(900, 400);
  await page.keyboard.press('Escape');
  await hover.waitFor({ state: 'detached', timeout: 15_000 });
  return text;
}

describe('the interpreter selected in the Python extension, in real VS Code', function () {
  this.timeout(180_000);
  let codeServer: CodeServer | undefined;
  let scratch = '';
  let chosen = '';
  const sandbox = useSandbox({
    requires: ['django', 'code-server', 'chromium'],
    hookTimeoutMs: 240_000,
    prepare: async (created) => {
      assert.ok(existsSync(VSIX), `${VSIX} is missing: run npm run package first`);
      scratch = tempFolder('python-selection');
      // The environment the person selects: a virtualenv outside the project that sees the system's Django.
      const env = path.join(scratch, 'envs', 'shop-env');
      execFileSync('/usr/bin/python3', ['-m', 'venv', '--system-site-packages', env], { stdio: 'pipe' });
      chosen = path.join(realpathSync(env), 'bin', 'python');
      const standIn = packagePythonStandIn(path.join(scratch, 'standin'));
      const port = await choosePort(26_000 + (process.pid % 1000));
      codeServer = new CodeServer({ vsix: [VSIX, standIn], env: created.env, settings: userSettings(port) });
      await codeServer.start();
    },
    beforeDispose: async () => {
      await codeServer?.stop();
      rmSync(scratch, { recursive: true, force: true });
    },
  });

  /** The project's interpreter as the daemon's `status` says it, once it says one matching `wanted`. */
  async function interpreterWhen(wanted: (i: ProjectInterpreter) => boolean): Promise<ProjectInterpreter> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const status = await sandbox().cliJson<{ project: { interpreter: ProjectInterpreter | null } | null }>(['status']);
      const found = status.project?.interpreter ?? null;
      if (found && wanted(found)) return found;
      if (Date.now() > deadline) throw new Error(`the project's interpreter is still ${JSON.stringify(found)}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  it("runs the project's .venv until an interpreter is selected, then the selected one, and says so in the tooltip", async () => {
    const root = sandbox().demo;
    const page = await codeServer!.open(`?folder=${encodeURIComponent(root)}`);
    await openMultiSite(page);
    const project = row(page, path.basename(root));
    await project.waitFor({ timeout: 60_000 });

    // Nothing selected (the extension answers its placeholder `python`): the project's .venv.
    const first = await interpreterWhen((i) => i.origin === '.venv');
    assert.equal(first.path, path.join(realpathSync(root), '.venv', 'bin', 'python'));
    assert.match(await hoverText(page, project, 'Python:'), /Python: .*\.venv\/bin\/python \(\.venv, Django \d/);

    // The person selects another interpreter for the folder, as in the Python extension.
    await runCommand(page, 'Python: Select Interpreter');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 10_000 });
    await input.fill(chosen);
    await page.keyboard.press('Enter');

    const selected = await interpreterWhen((i) => i.path === chosen);
    assert.equal(selected.origin, 'selected in the Python extension');
    const tooltip = await hoverText(page, project, 'selected in the Python extension');
    assert.ok(tooltip.includes(`Python: ${chosen} (selected in the Python extension, Django ${selected.djangoVersion})`), tooltip);
  });
});
