/**
 * A private copy of the demo project (or of another project a benchmark
 * names) opened in its own daemon, with the serving strategy a benchmark asks
 * for (`warmSites: 0`, classic restarts; `warmSites: 3`, the proxy with up to
 * three warm backends; a routing), and the few operations the benchmarks time:
 * switch, then wait for the new site's first answer on the project's main
 * address.
 */
import { rmSync } from 'node:fs';
import { get } from 'node:http';
import * as path from 'node:path';
import type { DaemonLink } from '../client/daemonLink';
import { GetProjectState, OpenProject, StopServer, SwitchSite } from '../protocol/protocol';
import type { BackendState, OpenProjectParams, ProjectState, ProxyRouting, Site, SwitchResult } from '../protocol/protocol';
import { choosePort } from '../daemon/runners/freePort';
import { copyDemo } from '../test/support/demoProject';
import { BenchDaemon } from './benchDaemon';
import { onCleanup } from './cleanups';

export interface DemoSite {
  slug: string;
  id: number;
  name: string;
  /** Text only this site's page carries; default: the demo's `<h1 id="site-name">` with its name. */
  marker?: string;
}

/** How a benchmark's project is served: `warmSites`, and optionally another project and a routing. */
export interface ServeOptions {
  warmSites: number;
  /** The routing the person chose (`--routing`); absent: the project's default. */
  routing?: ProxyRouting;
  /** Makes a private, set-up copy of the project; default: the demo's. */
  copy?: () => string;
}

/** The demo's sites (examples/multisite-demo/demo/migrations/0001_demo_sites.py). */
export const DEMO_SITES: readonly DemoSite[] = [
  { slug: 'alpha', id: 1, name: 'Alpha News' },
  { slug: 'beta', id: 2, name: 'Beta Shop' },
  { slug: 'gamma', id: 3, name: 'Gamma Blog' },
];

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** How often "has the new site answered yet" is asked: fine enough not to blur a 50 ms figure. */
export const POLL_MS = 5;
const ANSWER_TIMEOUT_MS = 60_000;

export function showsSite(body: string, site: DemoSite): boolean {
  return body.includes(site.marker ?? `<h1 id="site-name">${site.name}</h1>`);
}

/**
 * One GET on a connection of its own. Not a pooled keep-alive socket: it may
 * point at a server that was just replaced, and on a reused connection
 * runserver answers about 40 ms late (it sends headers and body in two writes
 * without TCP_NODELAY, and the client delays its ACK), which would be the
 * measuring client's artifact, not the product's.
 */
export function getOnce(url: string, timeoutMs = 5000, host?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = get(url, { agent: false, timeout: timeoutMs, headers: host ? { host } : {} }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} within ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

/** Resolves once `url` answers with `site`'s page; polls every POLL_MS, for a bounded time. */
export async function firstAnswerOf(url: string, site: DemoSite, timeoutMs = ANSWER_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const { status, body } = await getOnce(url);
      if (showsSite(body, site)) return;
      last = `HTTP ${status} without "${site.name}"`;
    } catch (error) {
      last = String(error);
    }
    await sleep(POLL_MS);
  }
  throw new Error(`${url} did not show ${site.name} within ${timeoutMs / 1000} s (last: ${last})`);
}

export class ServedDemo {
  private constructor(
    readonly daemon: BenchDaemon,
    readonly root: string,
    readonly link: DaemonLink,
    private readonly disposeDemo: () => Promise<void>,
    private readonly opened: OpenProjectParams,
  ) {}

  /** Runs `work` on a served demo (see open), disposing it afterwards however `work` ends. */
  static async using<T>(serve: number | ServeOptions, work: (demo: ServedDemo) => Promise<T>): Promise<T> {
    const demo = await ServedDemo.open(serve);
    try {
      return await work(demo);
    } finally {
      await demo.dispose();
    }
  }

  /** A fresh copy (with its .venv and database) opened with `warmSites` (and the routing asked for) on a free port. */
  static async open(serve: number | ServeOptions): Promise<ServedDemo> {
    const { warmSites, routing, copy = copyDemo } = typeof serve === 'number' ? { warmSites: serve } : serve;
    const root = copy();
    const disposeDemo = onCleanup(() => Promise.resolve(rmSync(root, { recursive: true, force: true })));
    const daemon = new BenchDaemon();
    await daemon.start();
    const link = await daemon.connect();
    const port = await choosePort(8000 + 1000 + (process.pid % 1000) + warmSites * 10);
    const opened: OpenProjectParams = { root, port, warmSites, trusted: true, ...(routing ? { routing } : {}) };
    await link.connection.sendRequest(OpenProject.type, opened);
    return new ServedDemo(daemon, root, link, disposeDemo, opened);
  }

  get venvPython(): string {
    return path.join(this.root, '.venv', 'bin', 'python');
  }

  /** The project's sites, opened again as the CLI does per command: served through the proxy, each has its `.localhost` address. */
  async sites(): Promise<Site[]> {
    return (await this.link.connection.sendRequest(OpenProject.type, this.opened)).sites;
  }

  async state(): Promise<ProjectState> {
    const state = await this.link.connection.sendRequest(GetProjectState.type, { root: this.root });
    // Remember every process group seen, so that dispose can make sure none survives.
    for (const pid of [state.server.pid, ...state.backends.map((b) => b.pid)]) if (pid !== null) this.daemon.groups.add(pid);
    return state;
  }

  switchTo(site: DemoSite): Promise<SwitchResult> {
    return this.link.connection.sendRequest(SwitchSite.type, { root: this.root, site: site.slug });
  }

  /** The main address (the proxy in proxy strategies, the one runserver in classic ones). */
  async mainUrl(): Promise<string> {
    const url = (await this.state()).server.url;
    if (!url) throw new Error('the project has no main address: switch to a site first');
    return url;
  }

  /** Milliseconds from the switch request until `url` answers with the site's page. */
  async timeSwitch(site: DemoSite, url: string): Promise<number> {
    const start = performance.now();
    await this.switchTo(site);
    await firstAnswerOf(url, site);
    return performance.now() - start;
  }

  async stopServer(): Promise<ProjectState> {
    return this.link.connection.sendRequest(StopServer.type, { root: this.root });
  }

  /** Stops the project and waits until no backend is left: the next start is a cold one. */
  async stopEverything(): Promise<void> {
    await this.stopServer();
    await this.waitFor('every backend stopped', (s) => s.backends.length === 0 && s.server.phase === 'stopped');
  }

  /** The backend serving `site`: its own (siteId routing) or the one for every site (host routing). */
  backendOf(state: ProjectState, site: DemoSite): BackendState | null {
    return state.backends.find((b) => b.site === site.slug) ?? state.backends.find((b) => b.site === null) ?? null;
  }

  /** Waits (bounded) until `ready(state)` holds. */
  async waitFor(what: string, ready: (state: ProjectState) => boolean, timeoutMs = 60_000): Promise<ProjectState> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const state = await this.state();
      if (ready(state)) return state;
      if (Date.now() > deadline) throw new Error(`gave up waiting ${timeoutMs / 1000} s for ${what}`);
      await sleep(50);
    }
  }

  /** Waits until every site in `sites` has a running backend. */
  waitWarm(sites: readonly DemoSite[]): Promise<ProjectState> {
    return this.waitFor(`warm backends for ${sites.map((s) => s.slug).join(', ')}`, (state) =>
      sites.every((site) => this.backendOf(state, site)?.phase === 'running'),
    );
  }

  async dispose(): Promise<void> {
    this.link.dispose();
    await this.daemon.dispose();
    await this.disposeDemo();
  }
}

/** The reason a proxy figure cannot be measured, or null when the project is served through the proxy. */
export function notProxied(state: ProjectState): string | null {
  if (state.strategy !== 'restart') return null;
  return `the daemon kept the classic 'restart' strategy with warmSites 3 (no proxy in this build)`;
}
