/**
 * The compose runner against a real Docker Engine and docker-compose, started
 * by the test: SITE_ID through the web service, hosts mode publishing it on 80,
 * every change to docker-compose.yml undone byte for byte, and a site debugged
 * inside the web service (Debian's debugpy, in the /usr the image mounts).
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import * as path from 'node:path';
import { choosePort } from '../../daemon/runners/freePort';
import { OpenProject, ServerLog } from '../../protocol/protocol';
import type { DebugResult, ModeResult, ProjectState, SwitchResult } from '../../protocol/protocol';
import { isAlive } from '../../home/processIdentity';
import { ownAttach, pythonDebuggerAttach } from '../../extension/debug/attachArguments';
import { Debugger, visitLine } from '../support/dapDebugger';
import { useComposeWorld } from '../support/composeWorld';
import { fetchText, requestVia } from '../support/http';

/** Where Debian's python3-debugpy puts debugpy, in the /usr the test image mounts. */
const DEBIAN_DEBUGPY = '/usr/lib/python3/dist-packages/debugpy';

describe('the compose runner (real Docker Engine and docker-compose)', function () {
  const { engine, sandbox, composeFile, original, webPort, debuggers, running } = useComposeWorld();

  it('serves each site through the web service with SITE_ID', async () => {
    for (const [site, name] of [
      ['beta', 'Beta Shop'],
      ['3', 'Gamma Blog'],
    ]) {
      const result = await sandbox().cliJson<SwitchResult>(['switch', site]);
      assert.equal(result.url, `http://127.0.0.1:${webPort()}/`);
      const page = await fetchText(result.url);
      assert.match(page.body, new RegExp(`<h1 id="site-name">${name}</h1>[\\s\\S]*Chosen by the SITE_ID`));
    }
    assert.equal(readFileSync(composeFile(), 'utf8'), original(), 'SITE_ID mode does not edit the compose file');
    assert.equal(running().length, 1);
  });

  it('runs the web service with the settings module the person chose, and with its own once cleared', async () => {
    // A module that forces Gamma Blog: whichever site is asked for, the page tells which settings ran.
    const chosen = path.join(sandbox().demo, 'demo', 'settings_gamma.py');
    writeFileSync(chosen, 'from demo.settings import *  # noqa: F401,F403\n\nSITE_ID = 3\n');
    try {
      const result = await sandbox().cliJson<SwitchResult>(['switch', 'alpha', '--settings', 'demo.settings_gamma']);
      assert.match((await fetchText(result.url)).body, /<h1 id="site-name">Gamma Blog<\/h1>/, 'the container ran demo.settings_gamma');
      const cleared = await sandbox().cliJson<SwitchResult>(['switch', 'alpha', '--settings', '']);
      assert.match((await fetchText(cleared.url)).body, /<h1 id="site-name">Alpha News<\/h1>/, 'the service’s own settings once the choice is cleared');
    } finally {
      rmSync(chosen, { force: true });
    }
    assert.equal(readFileSync(composeFile(), 'utf8'), original(), 'the compose file is not edited for it');
  });

  it('publishes the web service on 80 in hosts mode (or says why not), and cleanup restores the compose file exactly', async () => {
    // Port 80 may be held on a developer's machine: then the port stays, and the test checks that path instead.
    const port80Free = (await choosePort(80)) === 80;
    const result = await sandbox().cliJson<ModeResult>(['mode', 'hosts']);
    assert.equal(result.state.mode, 'hosts');
    const edited = readFileSync(composeFile(), 'utf8');
    const served = port80Free ? 80 : webPort();
    if (port80Free) assert.equal(edited, original().replace(`"127.0.0.1:${webPort()}:80"`, '"127.0.0.1:80:80"'), 'only the published port changed');
    else {
      assert.equal(edited, original(), 'the compose file is left as it is');
      assert.ok(
        result.state.notes.some((n) => n.includes(`keeps port ${webPort()}`)),
        result.state.notes.join(' '),
      );
    }
    const page = await fetchText(`http://127.0.0.1:${served}/`, { Host: 'alpha-news.example' });
    assert.match(page.body, /<h1 id="site-name">Alpha News<\/h1>[\s\S]*Chosen by the Host header/);

    // The dry run shows both files' changes and writes neither.
    const dry = await sandbox().cli(['cleanup', '--dry-run']);
    if (port80Free) {
      assert.match(dry.stdout, /^- {6}- "127\.0\.0\.1:80:80" {3}# Django$/m);
      assert.match(dry.stdout, new RegExp(`^\\+ {6}- "127\\.0\\.0\\.1:${webPort()}:80" {3}# Django$`, 'm'));
    }
    assert.match(dry.stdout, /^-127\.0\.0\.1\talpha-news\.example$/m);
    assert.equal(readFileSync(composeFile(), 'utf8'), edited);

    const cleanup = await sandbox().cli(['cleanup']);
    assert.equal(cleanup.code, 0, cleanup.stderr);
    assert.equal(readFileSync(composeFile(), 'utf8'), original());
    assert.equal(readFileSync(sandbox().hostsFile, 'utf8'), '127.0.0.1\tlocalhost\n');
    // Back in SITE_ID mode on the original port.
    assert.match((await fetchText(`http://127.0.0.1:${webPort()}/`)).body, /Chosen by the SITE_ID/);
  });

  it('stops the web service a crashed daemon left running when the next daemon starts', async () => {
    await sandbox().cliJson<SwitchResult>(['switch', 'alpha']);
    assert.equal(running().length, 1);
    const crashed = sandbox().daemonPid();
    assert.ok(crashed);
    process.kill(crashed, 'SIGKILL');
    while (isAlive(crashed)) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(running().length, 1, 'the container outlives the daemon');
    assert.equal((await sandbox().cli(['daemon', 'start'])).code, 0);
    assert.deepEqual(running(), []);
  });

  it('serves every site at once through the local proxy, the web service published on an internal port, Host set by the proxy', async () => {
    const proxyPort = await choosePort(19_700 + (process.pid % 200));
    const result = await sandbox().cliJson<SwitchResult>(['switch', 'gamma', '--warm-sites', '3', '--port', String(proxyPort)]);
    assert.equal(result.url, `http://127.0.0.1:${proxyPort}/`);
    const status = await sandbox().cliJson<{ project: ProjectState }>(['status']);
    assert.equal(status.project.strategy, 'host');
    const [web] = status.project.backends;
    assert.deepEqual([web.label, web.pid, web.phase], ['every site', null, 'running']);
    const internal = Number(new URL(web.url ?? '').port);
    assert.notEqual(internal, webPort(), 'published on a port of its own, not the compose file’s');
    assert.equal(readFileSync(composeFile(), 'utf8'), original(), 'the compose file is not touched');
    const project = path
      .basename(sandbox().demo)
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-');
    for (const [site, name] of [
      ['alpha', 'Alpha News'],
      ['gamma', 'Gamma Blog'],
    ]) {
      const page = await requestVia(proxyPort, `${site}.${project}.localhost:${proxyPort}`);
      assert.match(page.body, new RegExp(`<h1 id="site-name">${name}</h1>[\\s\\S]*Chosen by the Host header`));
    }
    assert.match((await requestVia(proxyPort, `127.0.0.1:${proxyPort}`)).body, /<h1 id="site-name">Gamma Blog<\/h1>/);
    await sandbox().cli(['stop']);
    assert.deepEqual(running(), []);
  });

  /**
   * Attaches to the port `debug` printed with the mappings it printed (the breakpoint set by this machine's
   * path), in `configuration` (the Python Debugger's or ours), requests `page`, and resolves with `expression` evaluated where the server stopped, once the answer came.
   */
  async function stopsInVisit(
    debugged: DebugResult,
    configuration: typeof ownAttach,
    page: () => Promise<{ body: string }>,
    expression: string,
  ): Promise<{ value: string; body: string }> {
    const views = path.join(sandbox().demo, 'demo', 'views.py');
    const line = visitLine(views);
    const attached = new Debugger(views, line);
    debuggers.push(attached);
    await attached.attach(configuration('Debug', debugged.debugPort, debugged.pathMappings));
    await attached.serversAttached(1);
    const answer = page();
    const { client, threadId } = await attached.nextStop();
    const top = (await client.stackTraceRequest({ threadId })).body.stackFrames[0];
    assert.equal(top.line, line);
    assert.equal(top.source?.path, views, "the container's /app/demo/views.py shown at this machine's path");
    const value = (await client.evaluateRequest({ expression, frameId: top.id, context: 'watch' })).body.result;
    await client.continueRequest({ threadId });
    return { value, body: (await answer).body };
  }

  it("debugs a site in the web service: debugpy in the container, its port on loopback, paths mapped from the service's mounts", async () => {
    const debugged = await sandbox().cliJson<DebugResult>(['debug', 'beta']);
    // The project is mounted at /app; /usr at its own path needs no mapping.
    assert.deepEqual(debugged.pathMappings, [{ localRoot: sandbox().demo, remoteRoot: '/app' }]);
    assert.equal(debugged.pid, null, 'a container, not a process of ours');
    assert.equal(readFileSync(composeFile(), 'utf8'), original(), 'the compose file is not touched');
    assert.equal((await sandbox().cliJson<{ project: ProjectState }>(['status'])).project.debugging?.site, 'beta');
    const stopped = await stopsInVisit(debugged, pythonDebuggerAttach, () => fetchText(new URL('/visit/', debugged.url).toString()), 'settings.SITE_ID');
    assert.equal(stopped.value, '2');
    assert.equal((JSON.parse(stopped.body) as { site: string }).site, 'Beta Shop');

    // A switch serves the next site as the compose file says, without debugpy.
    await sandbox().cliJson(['switch', 'alpha']);
    assert.equal((await sandbox().cliJson<{ project: ProjectState }>(['status'])).project.debugging, null);
    assert.match(engine().docker(['ps', '--no-trunc', '--format', '{{.Command}}']), /^"python3 manage\.py runserver/m);
  });

  it('debugs the web service behind the local proxy, which picks the site by Host', async () => {
    const proxyPort = await choosePort(19_900 + (process.pid % 90));
    const debugged = await sandbox().cliJson<DebugResult>(['debug', 'gamma', '--warm-sites', '3', '--port', String(proxyPort)]);
    assert.equal((await sandbox().cliJson<{ project: ProjectState }>(['status'])).project.strategy, 'host');
    assert.deepEqual(debugged.pathMappings, [{ localRoot: sandbox().demo, remoteRoot: '/app' }]);
    const address = new URL(debugged.url);
    assert.equal(address.port, String(proxyPort));
    const stopped = await stopsInVisit(debugged, ownAttach, () => requestVia(proxyPort, address.host, '/visit/'), 'request.site.name');
    assert.equal(stopped.value, "'Gamma Blog'");
    await sandbox().cli(['stop']);
    assert.deepEqual(running(), []);
  });

  it("says in one sentence how to install debugpy when the service's image has none, at once", async () => {
    // An image without debugpy: an empty folder mounted over the one /usr brings.
    const empty = path.join(sandbox().demo, 'no-debugpy');
    mkdirSync(empty);
    writeFileSync(composeFile(), original().replace('      - ".:/app"\n', `      - ".:/app"\n      - "./no-debugpy:${DEBIAN_DEBUGPY}:ro"\n`));
    const started = Date.now();
    const result = await sandbox().cli(['debug', 'beta']);
    assert.equal(result.code, 1);
    assert.match(
      result.stderr.trim().split('\n').pop() ?? '',
      /^multisite-local: debugpy is not installed in the web service's image: add debugpy to the requirements it installs \(or `RUN pip install debugpy` in its Dockerfile\), rebuild it with `(docker compose|docker-compose) build web`, then debug the site again\.$/,
    );
    assert.ok(Date.now() - started < 30_000, 'said once the log showed it, not after the 60 s wait for an answer');
    writeFileSync(composeFile(), original());
  });

  it('stops the web service with compose, leaving no container running', async () => {
    await sandbox().cliJson<SwitchResult>(['switch', 'beta']);
    assert.equal((await sandbox().cli(['stop'])).code, 0);
    assert.deepEqual(running(), []);
  });

  it('publishes the web service on a free port when its own is taken, naming the holder, with that port in the URL', async () => {
    const holder: Server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => holder.listen(webPort(), '127.0.0.1', resolve));
    const link = await sandbox().connect();
    const lines: string[] = [];
    link.connection.onNotification(ServerLog.type, (line) => lines.push(line.text));
    try {
      await link.connection.sendRequest(OpenProject.type, { root: sandbox().demo });
      const result = await sandbox().cliJson<SwitchResult>(['switch', 'gamma']);
      const moved = Number(new URL(result.url).port);
      assert.notEqual(moved, webPort());
      assert.equal(result.url, `http://127.0.0.1:${moved}/`);
      assert.match((await fetchText(result.url)).body, /<h1 id="site-name">Gamma Blog<\/h1>[\s\S]*Chosen by the SITE_ID/);
      const status = await sandbox().cliJson<{ server: { url: string } }>(['status']);
      assert.equal(status.server.url, result.url);
      const said = new RegExp(
        `^Port ${webPort()}, where docker-compose\\.yml publishes the web service, is in use by pid ${process.pid} \\(.+\\), so it is published on port ${moved} instead \\(docker-compose\\.yml is not changed\\)\\.$`,
      );
      assert.ok(
        lines.some((line) => said.test(line)),
        lines.join('\n'),
      );
      assert.equal(readFileSync(composeFile(), 'utf8'), original(), 'the project file is not edited');
      assert.equal((await sandbox().cli(['stop'])).code, 0);
      assert.deepEqual(running(), []);
      assert.deepEqual(readdirSync(path.join(sandbox().home, 'compose')), [], 'the moved copy goes with the service');
    } finally {
      link.dispose();
      await new Promise((resolve) => holder.close(resolve));
    }
  });

  it('says Docker has no address range left for the network, and what frees one, changing nothing', async () => {
    // No project network yet (the earlier tests' goes), and the test engine's four address ranges taken, as
    // networks no one removed take a machine's.
    assert.equal((await sandbox().cli(['stop'])).code, 0);
    engine().removeContainersAndNetworks();
    try {
      for (let i = 0; i < 10; i++) {
        try {
          engine().docker(['network', 'create', `unused-${i}`]);
        } catch {
          break;
        }
      }
      const result = await sandbox().cli(['switch', 'beta']);
      assert.equal(result.code, 1);
      assert.match(
        result.stderr.trim().split('\n').pop() ?? '',
        /^multisite-local: .*docker-compose up failed: Docker has no address range left for the project's network \(.*non-overlapping IPv4 address pool.*\); docker network prune removes the networks no container uses\.$/,
      );
      assert.deepEqual(running(), []);
      assert.equal(readFileSync(composeFile(), 'utf8'), original());
    } finally {
      engine().removeContainersAndNetworks();
    }
  });

  it('says which port and which program when hosts mode cannot publish the web service', async () => {
    const listen = (port: number): Promise<Server | null> =>
      new Promise((resolve) => {
        const server = createServer((socket) => socket.destroy());
        server.once('error', () => resolve(null));
        server.listen(port, '127.0.0.1', () => resolve(server));
      });
    // 80 held (by this test, or already by someone else: either way it cannot be had), and the service's own port too.
    const held = [await listen(80), await listen(webPort())];
    try {
      assert.ok(held[1], `port ${webPort()} could be held`);
      const result = await sandbox().cli(['mode', 'hosts']);
      assert.equal(result.code, 1);
      assert.match(
        result.stderr.trim().split('\n').pop() ?? '',
        new RegExp(
          `^multisite-local: Serving every site failed: port ${webPort()}, where docker-compose\\.yml publishes the web service, is in use by pid ${process.pid} \\(.+\\)\\.$`,
        ),
      );
      assert.deepEqual(running(), []);
    } finally {
      assert.equal((await sandbox().cli(['cleanup'])).code, 0);
      for (const server of held) if (server) await new Promise((resolve) => server.close(resolve));
    }
    assert.equal(readFileSync(composeFile(), 'utf8'), original());
  });
});
