/**
 * Tests that run inside a real VS Code extension host: desktop VS Code through
 * @vscode/test-electron (`npm run test:vscode`), or code-server in the e2e suite.
 * The workspace is a prepared copy of the demo project. Results also go to the
 * file named by MULTISITE_LOCAL_TEST_RESULTS, because code-server gives the
 * test runner no process exit code.
 */
import { writeFileSync } from 'node:fs';
import * as assert from 'node:assert/strict';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import type { MultisiteLocalApi } from '../../extension/extension';
import { fetchText } from '../support/http';

const EXTENSION_ID = 'multisite-local.django-multisite-local';

async function api(): Promise<MultisiteLocalApi> {
  const extension = vscode.extensions.getExtension<MultisiteLocalApi>(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is not installed`);
  const exported = await extension.activate();
  await exported.ready();
  return exported;
}

function root(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests need the demo project open as the workspace folder');
  return folder.uri.fsPath;
}

function addTests(suite: Mocha.Suite): void {
  suite.addTest(
    new Mocha.Test('serves the chosen site through the switch command', async () => {
      const ext = await api();
      // The quick pick opens, and dismissing it changes nothing.
      const picking = vscode.commands.executeCommand('multisiteLocal.pickSite');
      await new Promise((resolve) => setTimeout(resolve, 500));
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      await picking;
      assert.equal(ext.projectState(root())?.currentSite ?? null, null);
      for (const [slug, name] of [['beta', 'Beta Shop'], ['gamma', 'Gamma Blog']]) {
        await vscode.commands.executeCommand('multisiteLocal.switchSite', {
          kind: 'site',
          project: { root: root() },
          site: { slug, name },
        });
        const state = ext.projectState(root());
        assert.equal(state?.server.phase, 'running', state?.server.error ?? 'server not running');
        assert.equal(state?.currentSite?.slug, slug);
        assert.match((await fetchText(state.server.url ?? '')).body, new RegExp(`<h1 id="site-name">${name}</h1>`));
      }
    }),
  );
  suite.addTest(
    new Mocha.Test('stops the server', async () => {
      const ext = await api();
      await vscode.commands.executeCommand('multisiteLocal.stopServer');
      assert.equal(ext.projectState(root())?.server.phase, 'stopped');
    }),
  );
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 90_000, color: false });
  addTests(Mocha.Suite.create(mocha.suite, 'Django Multi-Site Local in the extension host'));
  return new Promise((resolve, reject) => {
    const lines: string[] = [];
    const runner = mocha.run((failures) => {
      lines.push(`${runner.stats?.passes ?? 0} passed, ${failures} failed`);
      const file = process.env.MULTISITE_LOCAL_TEST_RESULTS;
      if (file) writeFileSync(file, `${lines.join('\n')}\n`);
      if (failures > 0) reject(new Error(`${failures} extension-host test(s) failed`));
      else resolve();
    });
    runner.on('pass', (test) => lines.push(`ok ${test.fullTitle()}`));
    runner.on('fail', (test, error: Error) => lines.push(`not ok ${test.fullTitle()}: ${error.message}`));
  });
}
