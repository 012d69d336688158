/**
 * Tests that run inside a real VS Code extension host: desktop VS Code through
 * @vscode/test-electron (`npm run test:vscode`), or code-server in the e2e suite.
 * The workspace is a prepared copy of the demo project. Results also go to the
 * file named by MULTISITE_LOCAL_TEST_RESULTS, because code-server gives the
 * test runner no process exit code.
 */
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
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

async function waitUntil(what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function root(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests need the demo project open as the workspace folder');
  return folder.uri.fsPath;
}

/** Figures the tests measured, printed with the results. */
const figures: string[] = [];

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
      for (const [slug, name] of [
        ['beta', 'Beta Shop'],
        ['gamma', 'Gamma Blog'],
      ]) {
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
    new Mocha.Test('shows multisite.json problems in the Problems panel on their line, and clears them', async () => {
      await api();
      const file = vscode.Uri.file(path.join(root(), 'multisite.json'));
      const problems = (): vscode.Diagnostic[] => vscode.languages.getDiagnostics(file).filter((d) => d.source === 'Multi-Site');
      writeFileSync(file.fsPath, '{\n  "colour": "blue"\n}\n');
      await waitUntil('the problem to appear', () => problems().length > 0);
      assert.equal(problems()[0].message, 'unknown key "colour" in multisite.json.');
      assert.equal(problems()[0].range.start.line, 1);
      writeFileSync(file.fsPath, '{}\n');
      await waitUntil('the problem to clear', () => problems().length === 0);
      unlinkSync(file.fsPath);
    }),
  );
  suite.addTest(
    new Mocha.Test('activates in under 50 ms of its own work', async () => {
      const ext = await api();
      figures.push(`activation: ${ext.activationMs.toFixed(1)} ms of the extension's own work (limit 50 ms)`);
      assert.ok(ext.activationMs < 50, `activation took ${ext.activationMs} ms`);
    }),
  );
  suite.addTest(
    new Mocha.Test("copies a site's address, and reveals where it is configured", async () => {
      const ext = await api();
      const beta = { kind: 'site', project: { root: root() }, site: { slug: 'beta', name: 'Beta Shop' } };
      const copied = await vscode.commands.executeCommand<string>('multisiteLocal.copyAddress', beta);
      assert.equal(await vscode.env.clipboard.readText(), copied);
      // Gamma Blog is the current site (the first test served it last): Beta Shop's address is its own.
      assert.equal(ext.projectState(root())?.currentSite?.slug, 'gamma');
      assert.match(copied, /^http:\/\/beta\.[a-z0-9-]+\.localhost:\d+\/$/);
      const file = await vscode.commands.executeCommand<string>('multisiteLocal.revealConfig', beta);
      assert.equal(file, path.join(root(), 'demo', 'settings.py'));
      const editor = vscode.window.activeTextEditor;
      assert.equal(editor?.document.uri.fsPath, file);
      assert.match(editor.document.lineAt(editor.selection.active.line).text, /beta/);
    }),
  );
  suite.addTest(
    new Mocha.Test('writes a multisite.json from what was detected, and never overwrites one', async () => {
      await api();
      const file = path.join(root(), 'multisite.json');
      assert.equal(await vscode.commands.executeCommand<string>('multisiteLocal.createConfig'), file);
      const written = JSON.parse(readFileSync(file, 'utf8')) as { runner: string; sites: Record<string, { test?: string }> };
      assert.equal(written.runner, 'local');
      assert.deepEqual(Object.keys(written.sites).sort(), ['alpha', 'beta', 'gamma']);
      assert.equal(written.sites.beta.test, 'beta.demo.divio.me');
      writeFileSync(file, '{}\n');
      await vscode.commands.executeCommand('multisiteLocal.createConfig');
      assert.equal(readFileSync(file, 'utf8'), '{}\n');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      unlinkSync(file);
    }),
  );
  suite.addTest(
    new Mocha.Test('runs the project with the settings module its setting chooses, and with its own once cleared', async () => {
      const ext = await api();
      const uri = vscode.Uri.file(root());
      const local = path.join(root(), 'demo', 'settings_local.py');
      writeFileSync(local, 'from .settings import *  # noqa\n');
      const settings = vscode.workspace.getConfiguration('multisiteLocal', uri);
      const module = (): string | null | undefined => ext.projectState(root())?.settings?.module;
      try {
        await settings.update('settingsModule', 'demo.settings_local', vscode.ConfigurationTarget.WorkspaceFolder);
        await waitUntil('the project read with demo.settings_local', () => module() === 'demo.settings_local', 30_000);
        const chosen = ext.projectState(root())?.settings;
        assert.equal(chosen?.from, 'the multisiteLocal.settingsModule setting');
        assert.equal(chosen?.file, local);
        assert.deepEqual(chosen?.others, ['demo.settings']);
      } finally {
        await settings.update('settingsModule', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
        unlinkSync(local);
      }
      await waitUntil('the project read with its own module again', () => module() === 'demo.settings', 30_000);
      assert.match(ext.projectState(root())?.settings?.from ?? '', /^manage\.py:\d+$/);
      // The doctor checks the project as read now: a check of the module just removed, ending late, is not shown.
      await waitUntil(
        'the doctor to check the project with its own module',
        () => !ext.doctorReport(root())?.findings.some((f) => f.code === 'django-setup'),
        30_000,
      );
    }),
  );
  suite.addTest(
    new Mocha.Test('checks the project with the doctor when it is read', async () => {
      const ext = await api();
      await waitUntil('the doctor to report', () => ext.doctorReport(root()) !== null, 15_000);
      const report = ext.doctorReport(root());
      assert.equal(report?.mode, 'env');
      assert.deepEqual(
        report.findings.filter((f) => f.severity === 'error'),
        [],
      );
    }),
  );
  suite.addTest(
    new Mocha.Test('previews the site beside the code after a switch when the setting says so', async () => {
      const ext = await api();
      const settings = vscode.workspace.getConfiguration('multisiteLocal');
      const previews = (): vscode.Tab[] =>
        vscode.window.tabGroups.all
          .flatMap((g) => g.tabs)
          .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('simpleBrowser'));
      await settings.update('openAfterSwitch', 'simpleBrowser', vscode.ConfigurationTarget.Global);
      const code = await vscode.window.showTextDocument(vscode.Uri.file(path.join(root(), 'demo', 'settings.py')));
      try {
        await vscode.commands.executeCommand('multisiteLocal.switchSite', {
          kind: 'site',
          project: { root: root() },
          site: { slug: 'alpha', name: 'Alpha News' },
        });
        assert.equal(ext.projectState(root())?.currentSite?.slug, 'alpha');
        await waitUntil('the Simple Browser to open beside the code', () => previews().length === 1, 10_000);
        assert.notEqual(previews()[0].group.viewColumn, code.viewColumn, 'beside the code, not over it');
      } finally {
        await settings.update('openAfterSwitch', undefined, vscode.ConfigurationTarget.Global);
        await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      }
    }),
  );
  suite.addTest(
    new Mocha.Test("debugs a site from a launch configuration of ours (F5) and attaches to that site's server", async () => {
      const ext = await api();
      const started: vscode.DebugSession[] = [];
      const listener = vscode.debug.onDidStartDebugSession((session) => started.push(session));
      try {
        // As launch.json has it: no port; resolving it serves Beta Shop under debugpy first.
        const configuration = { type: 'multisite-debugpy', request: 'attach', name: 'Django multi-site: debug Beta Shop', site: 'beta' };
        assert.ok(await vscode.debug.startDebugging(vscode.workspace.workspaceFolders?.[0], configuration), 'VS Code did not attach');
        await waitUntil('Beta Shop to be debugged', () => ext.projectState(root())?.debugging?.site === 'beta', 30_000);
        const port = ext.projectState(root())?.debugging?.port;
        assert.equal(started[0]?.configuration.debugpyPort, port, 'attached to the port debugpy listens on');
        // debugpy announces the server runserver's autoreloader starts; ours attaches to it as a child session.
        await waitUntil("the server's own session", () => started.some((s) => s.parentSession?.id === started[0].id), 30_000);
      } finally {
        listener.dispose();
        await vscode.commands.executeCommand('multisiteLocal.stopDebugging');
      }
      assert.equal(ext.projectState(root())?.debugging ?? null, null);
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
      lines.push(...figures, `${runner.stats?.passes ?? 0} passed, ${failures} failed`);
      const file = process.env.MULTISITE_LOCAL_TEST_RESULTS;
      if (file) writeFileSync(file, `${lines.join('\n')}\n`);
      if (failures > 0) reject(new Error(`${failures} extension-host test(s) failed`));
      else resolve();
    });
    runner.on('pass', (test) => lines.push(`ok ${test.fullTitle()}`));
    runner.on('fail', (test, error: Error) => lines.push(`not ok ${test.fullTitle()}: ${error.message}`));
  });
}
