/**
 * Debug Site (issue 24) with the real CLI, the real daemon, real runserver and
 * Debian's debugpy: a client of the Debug Adapter Protocol (the one VS Code's
 * own debug adapters are tested with) attaches to the port `debug` printed,
 * with the configuration the extension starts (the Python Debugger's, or ours
 * where that extension is not installed: each in turn),
 * sets a breakpoint in the demo's visit view, requests the site's `.localhost`
 * address, and is stopped on that line in the server of that site (its
 * SITE_ID); another site answers meanwhile; `continue` lets the answer
 * through. runserver's autoreloader runs under debugpy too, which follows
 * its server, and the next one after an edit, into the same debug session.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { StopDebugging } from '../../protocol/protocol';
import type { DebugResult, ProjectState, SitesResult } from '../../protocol/protocol';
import { groupAlive } from '../../daemon/base/processGroup';
import { ownAttach, pythonDebuggerAttach } from '../../extension/debug/attachArguments';
import { Debugger, visitLine } from '../support/dapDebugger';
import { FIXTURES } from '../support/demoProject';
import { fetchText, requestVia } from '../support/http';
import { useSandbox } from '../support/useSandbox';

interface StatusJson {
  mode: string;
  server: { url: string };
  project: ProjectState | null;
}

describe('Debug Site with the CLI (real daemon, real runserver, real debugpy)', function () {
  const sandbox = useSandbox({ requires: ['django', 'debugpy'] });
  const debuggers: Debugger[] = [];
  afterEach(async () => {
    for (const attached of debuggers.splice(0)) await attached.stop();
  });
  const debuggerFor = (views: string, line: number): Debugger => {
    const attached = new Debugger(views, line);
    debuggers.push(attached);
    return attached;
  };

  /** The proxy's port and the Host a browser sends for `url` (a site's own `.localhost` address). */
  const hostOf = (url: string): { port: number; host: string } => {
    const parsed = new URL(url);
    return { port: Number(parsed.port), host: parsed.host };
  };

  it('stops at a breakpoint in the site’s own server, with its SITE_ID; other sites answer meanwhile; continue answers', async () => {
    const views = path.join(sandbox().demo, 'demo', 'views.py');
    const line = visitLine(views);
    const debugged = await sandbox().cliJson<DebugResult>(['debug', 'beta']);
    assert.deepEqual(Object.keys(debugged).sort(), ['debugPort', 'pathMappings', 'pid', 'site', 'url']);
    assert.deepEqual(debugged.pathMappings, [], 'runserver sees the files where this machine does');
    assert.equal(debugged.site.slug, 'beta');
    const state = await sandbox().cliJson<{ project: ProjectState | null }>(['status']);
    assert.deepEqual(state.project?.debugging, { site: 'beta', port: debugged.debugPort, pid: debugged.pid });
    // The debugged site has a server of its own (issue 27); one for every site serves the others, below.
    assert.equal(state.project?.strategy, 'siteIdPerRequest');
    assert.deepEqual(
      state.project?.backends.map((b) => [b.label, b.pid === debugged.pid]),
      [['Beta Shop', true]],
    );

    const attached = debuggerFor(views, line);
    await attached.attach(pythonDebuggerAttach('Debug', debugged.debugPort, debugged.pathMappings));
    await attached.serversAttached(1);
    const { port, host } = hostOf(debugged.url);
    const answer = requestVia(port, host, '/visit/');
    const { client, threadId } = await attached.nextStop();
    const trace = await client.stackTraceRequest({ threadId });
    const top = trace.body.stackFrames[0];
    assert.equal(top.line, line);
    assert.equal(top.source?.path, views);
    const siteId = await client.evaluateRequest({ expression: 'settings.SITE_ID', frameId: top.id, context: 'watch' });
    assert.equal(siteId.body.result, '2', "Beta Shop's server (SITE_ID=2) stopped");

    // Paused in Beta Shop's server: Alpha News answers from its own.
    const alpha = await sandbox().cliJson<{ sites: { slug: string; localhostUrl: string }[] }>(['sites']);
    const alphaUrl = alpha.sites.find((s) => s.slug === 'alpha')?.localhostUrl ?? '';
    const other = await requestVia(hostOf(alphaUrl).port, hostOf(alphaUrl).host);
    assert.equal(other.status, 200);
    assert.match(other.body, /Alpha News/);
    const serving = (await sandbox().cliJson<{ project: ProjectState | null }>(['status'])).project?.backends ?? [];
    assert.deepEqual(serving.map((b) => [b.label, b.pid === debugged.pid]).sort(), [
      ['Beta Shop', true],
      ['every site', false],
    ]);

    await client.continueRequest({ threadId });
    const page = await answer;
    assert.equal(page.status, 200);
    assert.equal((JSON.parse(page.body) as { site: string }).site, 'Beta Shop');
  });

  it("follows the autoreloader's next server after an edit, and stops there", async () => {
    const views = path.join(sandbox().demo, 'demo', 'views.py');
    const line = visitLine(views);
    const debugged = await sandbox().cliJson<DebugResult>(['debug', 'gamma']);
    const attached = debuggerFor(views, line);
    await attached.attach(ownAttach('Debug', debugged.debugPort, debugged.pathMappings));
    await attached.serversAttached(1);
    // runserver's autoreloader ends its server on an edit and starts the next one, which debugpy announces.
    // Django looks at the files' times once a second, from its first look on: edited until it sees one.
    const editing = setInterval(() => appendFileSync(views, '\n# edited while debugging\n'), 500);
    try {
      await attached.serversAttached(2);
    } finally {
      clearInterval(editing);
    }

    const { port, host } = hostOf(debugged.url);
    await answersAgain(port, host);
    const answer = requestVia(port, host, '/visit/');
    const { client, threadId } = await attached.nextStop();
    const trace = await client.stackTraceRequest({ threadId });
    assert.equal(trace.body.stackFrames[0].line, line);
    await client.continueRequest({ threadId });
    assert.equal((JSON.parse((await answer).body) as { site: string }).site, 'Gamma Blog');
  });

  it('Stop Debugging stops the debugged site’s own server: the one for every site serves it again', async () => {
    const debugged = await sandbox().cliJson<DebugResult>(['debug', 'gamma']);
    const link = await sandbox().connect();
    try {
      const state = await link.connection.sendRequest(StopDebugging.type, { root: sandbox().demo });
      assert.equal(state.debugging, null);
      assert.ok(!state.backends.some((b) => b.label === 'Gamma Blog'), JSON.stringify(state.backends));
      assert.equal(groupAlive(debugged.pid ?? 0), false, 'its own server is gone');
      const { port, host } = hostOf(debugged.url);
      assert.match((await requestVia(port, host)).body, /Gamma Blog/);
      const after = (await sandbox().cliJson<{ project: ProjectState | null }>(['status'])).project?.backends ?? [];
      assert.deepEqual(
        after.map((b) => b.label),
        ['every site'],
      );
    } finally {
      link.dispose();
    }
  });

  it('ends with `stop`, which says nothing is debugged any more', async () => {
    const debugged = await sandbox().cliJson<DebugResult>(['debug', 'alpha']);
    assert.ok(debugged.debugPort > 0);
    const stopped = await sandbox().cliJson<ProjectState>(['stop']);
    assert.equal(stopped.debugging, null);
  });
});

/** Resolves once the site answers again after a reload (a page without the breakpoint; the proxy says 502 while no server listens). */
async function answersAgain(port: number, host: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while ((await requestVia(port, host, '/request-headers/')).status !== 200) {
    if (Date.now() > deadline) throw new Error(`${host} did not answer again after the reload`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('Debug Site with one runserver restarted per switch (real daemon, real runserver, real debugpy)', function () {
  const sandbox = useSandbox({ requires: ['django', 'debugpy'], env: { MULTISITE_LOCAL_WARM_SITES: '0' } });
  let attached: Debugger | null = null;
  after(async () => attached?.stop());

  it('restarts the one server under debugpy for the site, which becomes current, and stops at the breakpoint', async () => {
    const views = path.join(sandbox().demo, 'demo', 'views.py');
    const line = visitLine(views);
    const debugged = await sandbox().cliJson<DebugResult>(['debug', 'gamma']);
    const state = await sandbox().cliJson<{ project: ProjectState | null }>(['status']);
    assert.equal(state.project?.currentSite?.slug, 'gamma');
    assert.equal(state.project?.debugging?.site, 'gamma');
    attached = new Debugger(views, line);
    await attached.attach(pythonDebuggerAttach('Debug', debugged.debugPort, debugged.pathMappings));
    await attached.serversAttached(1);
    const answer = fetchText(new URL('/visit/', debugged.url).toString());
    const { client, threadId } = await attached.nextStop();
    const top = (await client.stackTraceRequest({ threadId })).body.stackFrames[0];
    assert.equal((await client.evaluateRequest({ expression: 'settings.SITE_ID', frameId: top.id, context: 'watch' })).body.result, '3');
    await client.continueRequest({ threadId });
    assert.equal((JSON.parse((await answer).body) as { site: string }).site, 'Gamma Blog');

    // A switch serves the next site without debugpy.
    await sandbox().cliJson(['switch', 'alpha']);
    assert.equal((await sandbox().cliJson<{ project: ProjectState | null }>(['status'])).project?.debugging, null);
  });
});

describe('Debug Site in hosts mode (real daemon, real runserver, real debugpy, temp hosts file)', function () {
  const sandbox = useSandbox({ requires: ['django', 'debugpy'], prepare: (created) => writeFileSync(created.hostsFile, '127.0.0.1\tlocalhost\n') });
  let attached: Debugger | null = null;
  after(async () => attached?.stop());

  it("restarts the one server of every site under debugpy on the port the hosts entries' addresses carry, and stops in the request for the Host asked", async () => {
    await sandbox().cliJson(['mode', 'hosts']);
    const before = await sandbox().cliJson<StatusJson>(['status']);
    const views = path.join(sandbox().demo, 'demo', 'views.py');
    const line = visitLine(views);
    const debugged = await sandbox().cliJson<DebugResult>(['debug', 'beta']);
    const during = await sandbox().cliJson<StatusJson>(['status']);
    assert.equal(during.mode, 'hosts');
    assert.equal(during.project?.debugging?.site, 'beta');
    assert.equal(new URL(during.server.url).port, new URL(before.server.url).port, 'the one server kept its port');

    attached = new Debugger(views, line);
    await attached.attach(ownAttach('Debug', debugged.debugPort, debugged.pathMappings));
    await attached.serversAttached(1);
    const port = Number(new URL(during.server.url).port || 80);
    const answer = requestVia(port, `beta-shop.example:${port}`, '/visit/');
    const { client, threadId } = await attached.nextStop();
    const top = (await client.stackTraceRequest({ threadId })).body.stackFrames[0];
    assert.equal(top.line, line);
    // No SITE_ID is forced in hosts mode: the Host picked Beta Shop.
    assert.equal((await client.evaluateRequest({ expression: 'request.site.name', frameId: top.id, context: 'watch' })).body.result, "'Beta Shop'");
    await client.continueRequest({ threadId });
    assert.equal((JSON.parse((await answer).body) as { site: string }).site, 'Beta Shop');

    // Leaving hosts mode serves the project again without debugpy.
    await sandbox().cliJson(['mode', 'env']);
    assert.equal((await sandbox().cliJson<StatusJson>(['status'])).project?.debugging ?? null, null);
  });
});

describe('Debug Site under Host routing: a Wagtail project (real daemon, real runserver, real debugpy)', function () {
  this.timeout(120_000);
  const frameworks = path.join(FIXTURES, 'frameworks');
  const sandbox = useSandbox({
    requires: ['django', 'treebeard', 'debugpy'],
    project: { source: path.join(FIXTURES, 'wagtail-sites'), setup: false },
    env: { PYTHONDONTWRITEBYTECODE: '1' },
    prepare: (created) =>
      void execFileSync('sh', [path.join(created.demo, 'setup.sh')], {
        env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', MULTISITE_FIXTURE_FRAMEWORKS: frameworks },
        stdio: 'pipe',
      }),
    hookTimeoutMs: 120_000,
  });
  let attached: Debugger | null = null;
  after(async () => attached?.stop());

  it('debugs the one server of every site, stopping in the request for the site asked for', async () => {
    // Wagtail's front-end view (the stand-in's, a folder of the environment's .pth as an editable install is: the person's code).
    const views = path.join(frameworks, 'wagtail', 'wagtail', 'views.py');
    const line =
      readFileSync(views, 'utf8')
        .split('\n')
        .findIndex((text) => text.includes('Site.find_for_request(request)')) + 1;
    const sites = (await sandbox().cliJson<SitesResult>(['sites', '--settings', 'bakery.settings.dev_proxy'])).sites;
    const blog = sites.find((s) => s.name === 'Bakery Blog');
    assert.ok(blog);
    const debugged = await sandbox().cliJson<DebugResult>(['debug', blog.slug]);
    const status = await sandbox().cliJson<{ project: ProjectState | null }>(['status']);
    assert.equal(status.project?.strategy, 'host');
    assert.deepEqual(
      status.project?.backends.map((b) => b.site),
      [null],
      'the one runserver of every site, under debugpy',
    );
    attached = new Debugger(views, line);
    await attached.attach(pythonDebuggerAttach('Debug', debugged.debugPort, debugged.pathMappings));
    await attached.serversAttached(1);
    const address = new URL(debugged.url);
    const answer = requestVia(Number(address.port), address.host);
    const { client, threadId } = await attached.nextStop();
    const top = (await client.stackTraceRequest({ threadId })).body.stackFrames[0];
    assert.equal(top.line, line);
    // The proxy sent the site's own domain as Host: Wagtail picks Bakery Blog by it.
    assert.equal((await client.evaluateRequest({ expression: 'request.get_host()', frameId: top.id, context: 'watch' })).body.result, "'blog.bakery.test'");
    await client.continueRequest({ threadId });
    assert.match((await answer).body, /<h1 id="site-name">Bakery Blog<\/h1>/);
  });
});
