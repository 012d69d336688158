/**
 * Real VS Code for tests: code-server (VS Code in the browser) in its own
 * process group, with private user-data and extensions folders, driven by
 * headless Chromium through playwright-core.
 */
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { choosePort } from '../../daemon/runners/freePort';
import { killGroup } from '../../daemon/base/processGroup';
import { CHROMIUM, CODE_SERVER } from './components';
import { fetchText } from './http';
import { tempFolder } from './tempProject';

export interface CodeServerOptions {
  /** User settings (settings.json). */
  settings: Record<string, unknown>;
  /** Environment of code-server and so of the extension host. */
  env: NodeJS.ProcessEnv;
  /** A .vsix to install before starting, if any; or several (the product's and stand-ins of other extensions). */
  vsix?: string | readonly string[];
  /** Arguments added to code-server's own, given the port it listens on (its --proxy-domain names it: the Host it matches carries the port). */
  args?: (codeServerPort: number) => readonly string[];
  /** How its asExternalUri maps `http://localhost:<port>` (VSCODE_PROXY_URI), given the port code-server listens on; by default `/proxy/<port>/`. */
  proxyUri?: (codeServerPort: number) => string;
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { env, timeout: 120_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${path.basename(file)} ${args.join(' ')} failed: ${stderr || error.message}`));
      else resolve(stdout);
    });
  });
}

export class CodeServer {
  readonly dir = tempFolder('code-server');
  readonly log: string[] = [];
  private child: ChildProcess | null = null;
  private browser: Browser | null = null;
  port = 0;

  constructor(private readonly options: CodeServerOptions) {}

  private get args(): string[] {
    return [
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      // CODE_SERVER_LOG=trace logs each command the workbench runs (CommandsConverter) in remoteexthost.log.
      ...(process.env.CODE_SERVER_LOG ? ['--log', process.env.CODE_SERVER_LOG] : []),
      '--user-data-dir',
      path.join(this.dir, 'data'),
      '--extensions-dir',
      path.join(this.dir, 'extensions'),
    ];
  }

  private get env(): NodeJS.ProcessEnv {
    // Unset unless given: a test run from a code-server's terminal inherits that one's.
    const proxyUri = this.port && this.options.proxyUri ? this.options.proxyUri(this.port) : undefined;
    return { ...process.env, ...this.options.env, VSCODE_PROXY_URI: proxyUri };
  }

  async start(): Promise<void> {
    const userDir = path.join(this.dir, 'data', 'User');
    mkdirSync(userDir, { recursive: true });
    writeFileSync(path.join(userDir, 'settings.json'), JSON.stringify(this.options.settings, null, 2));
    const vsixes = [this.options.vsix ?? []].flat();
    if (vsixes.length > 0) await run(CODE_SERVER, [...this.args, ...vsixes.flatMap((vsix) => ['--install-extension', vsix])], this.env);
    this.port = await choosePort(20_000 + (process.pid % 1000));
    const child = spawn(CODE_SERVER, [...this.args, ...(this.options.args?.(this.port) ?? []), '--bind-addr', `127.0.0.1:${this.port}`], {
      env: this.env,
      detached: true, // own group: stopping it stops its extension hosts too
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const keep = (chunk: Buffer): void => void this.log.push(chunk.toString());
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`code-server exited: ${this.log.join('')}`);
      try {
        await fetchText(`http://127.0.0.1:${this.port}/healthz`);
        return;
      } catch {
        if (Date.now() > deadline) throw new Error(`code-server did not answer within 60 s: ${this.log.join('')}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  }

  /** Opens a browser page on `query` (relative to the server, reached as `host`) and waits for the workbench. */
  async open(query: string, host: '127.0.0.1' | 'localhost' = '127.0.0.1'): Promise<Page> {
    this.browser ??= await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    const page = await this.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`http://${host}:${this.port}/${query}`);
    await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    return page;
  }

  /**
   * The newest of the workbench's log files called `name` under the user data's logs: `exthost.log`,
   * `remoteagent.log`, or an extension's log output channel (`createOutputChannel(n, { log: true })`
   * writes `<n>.log`); null while none was written.
   */
  logFile(name: string): string | null {
    const logs = path.join(this.dir, 'data', 'logs');
    if (!existsSync(logs)) return null;
    const files = readdirSync(logs, { recursive: true, encoding: 'utf8' })
      .filter((file) => path.basename(file) === name)
      .map((file) => path.join(logs, file))
      .sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs);
    return files.length ? readFileSync(files[files.length - 1], 'utf8') : null;
  }

  async stop(): Promise<void> {
    await this.browser?.close().catch(() => undefined);
    this.browser = null;
    if (this.child?.pid !== undefined) await killGroup(this.child.pid);
    this.child = null;
    rmSync(this.dir, { recursive: true, force: true });
  }
}
