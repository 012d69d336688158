/**
 * The e2e suites' view of real VS Code: a sandbox plus a code-server with the
 * packaged .vsix for one suite, and the few workbench gestures the suites
 * share (a tree row, a palette command, the status bar, a screenshot).
 */
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';
import { choosePort } from '../../daemon/runners/freePort';
import { CodeServer } from './codeServer';
import type { CodeServerOptions } from './codeServer';
import type { DaemonSandbox } from './daemonSandbox';
import { REPO_ROOT } from './demoProject';
import { useSandbox } from './useSandbox';
import type { SuiteSandboxOptions } from './useSandbox';

export const VSIX = path.join(REPO_ROOT, 'dist', 'django-multisite-local.vsix');
export const STATUS_ITEM = '[id="multisite-local.django-multisite-local.multisiteLocal.currentSite"]';

/**
 * Where the run's pictures go: a build folder, so that tests never rewrite tracked files.
 * `npm run screenshots` sets MULTISITE_LOCAL_SCREENSHOTS_DIR=media to refresh the README's
 * pictures (media/screenshots/*.png) and the walkthrough's (media/walkthrough/*.jpg).
 */
export const SCREENSHOTS_DIR = path.resolve(REPO_ROOT, process.env.MULTISITE_LOCAL_SCREENSHOTS_DIR ?? path.join('test-results', 'screenshots'));

type Box = { x: number; y: number; width: number; height: number };

/** `png` re-encoded as WebP by the browser itself (a blank page's canvas): a third the size of a JPEG that reads as well. */
async function webp(page: Page, png: Buffer): Promise<Buffer> {
  const browser = page.context().browser();
  assert.ok(browser, 'a page of a launched browser');
  const scratch = await browser.newPage();
  try {
    // Written as text: this code runs in the browser, and the tests are type-checked without its DOM types.
    const dataUrl = await scratch.evaluate<string>(`(async () => {
      const image = new Image();
      image.src = 'data:image/png;base64,${png.toString('base64')}';
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.width;
      canvas.height = image.height;
      canvas.getContext('2d').drawImage(image, 0, 0);
      return canvas.toDataURL('image/webp', 0.6);
    })()`);
    assert.ok(dataUrl.startsWith('data:image/webp;base64,'), 'the browser encodes WebP');
    return Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
  } finally {
    await scratch.close();
  }
}

/**
 * Saves the README's picture `name`.png and, given `walkthrough`, a small WebP of part of the
 * page for the walkthrough: `clip` is a locator's box, cut to at most `maxHeight` pixels from
 * its top, or a box. Those pictures ship in the .vsix, which must stay under 300 KB.
 */
export async function screenshot(page: Page, name: string, walkthrough?: { name: string; clip: Locator | Box; maxHeight?: number }): Promise<string> {
  const file = path.join(SCREENSHOTS_DIR, 'screenshots', `${name}.png`);
  mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file });
  if (walkthrough) {
    const small = path.join(SCREENSHOTS_DIR, 'walkthrough', `${walkthrough.name}.webp`);
    mkdirSync(path.dirname(small), { recursive: true });
    const box = 'boundingBox' in walkthrough.clip ? await walkthrough.clip.boundingBox() : walkthrough.clip;
    assert.ok(box, `nothing to picture for ${walkthrough.name}`);
    const clip = { ...box, height: Math.min(box.height, walkthrough.maxHeight ?? box.height) };
    writeFileSync(small, await webp(page, await page.screenshot({ clip })));
  }
  return file;
}

/** A rejection handler that pictures the page (test-results/failures/`name`.png) before passing the error on. */
export function pictureOnFailure(page: Page, name: string): (error: unknown) => Promise<never> {
  return async (error) => {
    const file = path.join(REPO_ROOT, 'test-results', 'failures', `${name}.png`);
    mkdirSync(path.dirname(file), { recursive: true });
    await page.screenshot({ path: file }).catch(() => undefined);
    throw error;
  };
}

/** The user settings of a code-server whose projects serve on `port`. */
export function userSettings(port: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'security.workspace.trust.enabled': false,
    'multisiteLocal.port': port,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'window.commandCenter': false,
    'chat.sendElementsToChat.enabled': false,
    // The browser runs on the machine that serves the sites: they open at their own addresses (a remote window's
    // forwarding is test/e2e/remoteWindow.test.ts's, which turns this on).
    'multisiteLocal.forwardPorts': false,
    ...extra,
  };
}

/** `<project>` in `<site>.<project>.localhost`: the folder's name as a DNS label (the copies' names are ASCII). */
export function projectLabel(root: string): string {
  return path
    .basename(root)
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-');
}

export interface Status {
  currentSite: { slug: string } | null;
  mode: string;
  server: { pid: number | null; url: string | null };
  project: {
    backends: { site: string | null; label: string; phase: string; pid: number | null; url: string | null }[];
    debugging: { site: string; port: number; pid: number | null } | null;
  } | null;
}

/** The daemon's status; every server it lists (the current one and the warm ones) is cleaned up after the suite. */
export async function statusOf(sandbox: DaemonSandbox, cwd?: string): Promise<Status> {
  const status = await sandbox.cliJson<Status>(['status'], cwd);
  for (const pid of [status.server.pid, ...(status.project?.backends ?? []).map((b) => b.pid)]) {
    if (pid !== null) sandbox.startedGroups.add(pid);
  }
  return status;
}

export async function statusText(page: Page): Promise<string> {
  return (await page.locator(STATUS_ITEM).innerText()).trim();
}

/**
 * Waits until the status bar shows `name` as served (globe icon, no spinner). On a timeout the
 * error says what the status bar showed instead and ends with the last lines of the daemon's log
 * and of the extension's, and the page is pictured (test-results/failures/), so a failure in CI
 * can be read from its output.
 */
export async function waitForServed(page: Page, name: string, suite: CodeServerSuite): Promise<void> {
  try {
    await page.locator(STATUS_ITEM).filter({ hasText: name }).locator('.codicon-globe').waitFor({ timeout: 60_000 });
  } catch (error) {
    const shown = await statusText(page).catch(() => '(no status bar item)');
    await pictureOnFailure(page, `served-${name.replace(/[^A-Za-z0-9]+/g, '-')}`)(error).catch(() => undefined);
    throw new Error(`${name} was not shown as served within 60 s; the status bar showed "${shown}".${logsOf(suite)}`);
  }
}

/**
 * For a failure's message: the last lines of the suite's daemon log and of the extension's output
 * channel, and the extension host's errors (a click on a disposed command shows only there).
 */
export function logsOf(suite: CodeServerSuite): string {
  const tail = (text: string): string => text.split('\n').slice(-40).join('\n');
  const daemonLog = path.join(suite.sandbox().home, 'daemon.log');
  const hostErrors = (suite.codeServer().logFile('remoteexthost.log') ?? '').split('\n').filter((line) => /\[(error|warning)\]/.test(line));
  return [
    `\nThe daemon log ended with:\n${existsSync(daemonLog) ? tail(readFileSync(daemonLog, 'utf8')) : '(no daemon.log)'}`,
    `\nThe extension's log ended with:\n${tail(suite.codeServer().logFile('Django Multi-Site Local.log') ?? '(not written)')}`,
    `\nThe extension host's errors and warnings:\n${tail(hostErrors.join('\n')) || '(none)'}`,
  ].join('\n');
}

/** A row of a tree view whose accessible name matches `name`. */
export function row(page: Page, name: string): Locator {
  return page.getByRole('treeitem', { name: new RegExp(name) });
}

/** Runs a command from the Command Palette by its full title ("Multi-Site: Run Doctor"). */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  await page.keyboard.type(title);
  await page.locator('.quick-input-widget').getByText(title, { exact: false }).first().waitFor({ timeout: 10_000 });
  await page.keyboard.press('Enter');
}

/** Right-clicks `target` and chooses `item` from its context menu. */
export async function contextMenu(page: Page, target: Locator, item: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await page.bringToFront(); // after a tab the test opened and closed, the workbench must have the focus again
    await target.click({ button: 'right' });
    const menu = page.locator('.monaco-menu');
    const entry = menu.getByRole('menuitem', { name: item, exact: true });
    // A click on a menu that is still animating open can be lost; the keyboard never is.
    await entry.hover();
    await page.keyboard.press('Enter');
    await menu.waitFor({ state: 'detached', timeout: 10_000 });
    // A site command given no row asks which site, as from the palette; seen once in CI after a row's menu,
    // likely VS Code's extension host not knowing the row's handle while the row was redrawn. The menu is used
    // again, as a person would.
    const asked = page.locator('.quick-input-widget').filter({ hasText: /which site/i });
    const lost = await asked
      .waitFor({ timeout: 2_000 })
      .then(() => true)
      .catch(() => false);
    if (!lost) return;
    assert.ok(attempt < 3, `the "${item}" menu of a row asked which site ${attempt} times`);
    await page.keyboard.press('Escape');
    await asked.waitFor({ state: 'hidden', timeout: 10_000 });
  }
}

/** Waits for VS Code's link protection prompt naming `url`, and answers it. */
export async function answerLinkPrompt(page: Page, url: string, answer: 'Open' | 'Cancel'): Promise<void> {
  const prompt = page.locator('.monaco-dialog-box');
  await prompt.getByText('open the external website').waitFor({ timeout: 60_000 }).catch(pictureOnFailure(page, 'link-prompt'));
  assert.ok((await prompt.innerText()).includes(url), `the prompt names ${url}: ${await prompt.innerText()}`);
  await prompt.getByRole('button', { name: answer, exact: true }).click();
  await prompt.waitFor({ state: 'detached', timeout: 10_000 });
}

/** The preview's frame (the Simple Browser's page) once it is at an address `matches` accepts; the error lists the frames there are. */
export async function previewFrame(page: Page, matches: (url: URL) => boolean, timeout = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const frame = page.frames().find((f) => URL.canParse(f.url()) && matches(new URL(f.url())));
    if (frame) return frame;
    if (Date.now() > deadline)
      throw new Error(
        `No preview frame within ${timeout} ms; the frames: ${page
          .frames()
          .map((f) => f.url())
          .join(', ')}`,
      );
    await page.waitForTimeout(250);
  }
}

/** Opens the Multi-Site container in the activity bar, its side bar widened (by its sash) so rows and pictures read whole. */
export async function openMultiSite(page: Page): Promise<void> {
  await page.getByRole('tab', { name: /Multi-Site/ }).click();
  const sidebar = await page.locator('.part.sidebar').boundingBox();
  if (!sidebar || sidebar.width >= 500) return;
  const edge = sidebar.x + sidebar.width;
  await page.mouse.move(edge - 1, sidebar.y + sidebar.height / 2);
  await page.mouse.down();
  await page.mouse.move(edge + 240, sidebar.y + sidebar.height / 2, { steps: 8 });
  await page.mouse.up();
}

type SandboxOptions = Omit<SuiteSandboxOptions, 'prepare' | 'beforeDispose'>;

export interface CodeServerSuite {
  sandbox: () => DaemonSandbox;
  codeServer: () => CodeServer;
  port: () => number;
}

/**
 * A sandbox (a project copy, a daemon home) and a code-server with the packaged extension
 * installed, for one suite; `near` spreads the suites' ports apart.
 */
export function useCodeServer(
  near: number,
  options: {
    /** Runs once the sandbox exists, before code-server starts: the project's own setup. */
    before?: (sandbox: DaemonSandbox) => void | Promise<void>;
    settings?: Record<string, unknown>;
    /** What code-server is started with beyond the suite's: arguments (its --proxy-domain), how its asExternalUri maps ports. */
    codeServer?: Pick<CodeServerOptions, 'args' | 'proxyUri'>;
    /** A function is read in the hook, for what exists only once earlier hooks ran (a database's address). */
    sandbox?: SandboxOptions | (() => SandboxOptions);
  } = {},
): CodeServerSuite {
  let codeServer: CodeServer | undefined;
  let port = 0;
  const sandbox = useSandbox(() => ({
    requires: ['django', 'code-server', 'chromium'],
    ...(typeof options.sandbox === 'function' ? options.sandbox() : options.sandbox),
    prepare: async (created) => {
      assert.ok(existsSync(VSIX), `${VSIX} is missing: run npm run package first`);
      await options.before?.(created);
      port = await choosePort(near + (process.pid % 1000));
      codeServer = new CodeServer({ vsix: VSIX, env: created.env, settings: userSettings(port, options.settings), ...options.codeServer });
      await codeServer.start();
    },
    beforeDispose: async () => {
      await codeServer?.stop();
    },
  }));
  const started = (): CodeServer => {
    if (!codeServer) throw new Error('code-server runs only while the suite runs');
    return codeServer;
  };
  return { sandbox, codeServer: started, port: () => port };
}
