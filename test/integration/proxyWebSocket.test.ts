/**
 * WebSockets through the local proxy: the real CLI and daemon serving a small
 * Channels project (test/fixtures/asgi-sites) whose runserver is Daphne's.
 * Each site's echo names the site, so an answer shows which backend (SITE_ID
 * routing) or which Host (Host routing) the upgrade reached.
 */
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import WebSocket from 'ws';
import type { ProjectState, StatusResult, SwitchResult } from '../../protocol/protocol';
import { RunningServer } from '../../daemon/runners/runningServer';
import { groupAlive } from '../../daemon/base/processGroup';
import { FIXTURES } from '../support/demoProject';
import { requestVia } from '../support/http';
import { useFreePort } from '../support/useFreePort';
import { useSandbox } from '../support/useSandbox';
import type { DaemonSandbox } from '../support/daemonSandbox';

interface StatusJson extends StatusResult {
  project: ProjectState | null;
}

const PROJECT = { source: path.join(FIXTURES, 'asgi-sites'), setup: true };

/** Rejects with `what` when `promise` takes longer than `ms`: a hang fails with a sentence, not a mocha timeout. */
function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** The next text message on `ws`. */
function nextMessage(ws: WebSocket): Promise<string> {
  return new Promise((resolve, reject) => {
    // A message comes as one Buffer (ws's default binaryType).
    ws.once('message', (data: WebSocket.RawData) => resolve(Buffer.isBuffer(data) ? data.toString('utf8') : `(not a Buffer)`));
    ws.once('close', (code: number) => reject(new Error(`closed (${code}) before answering`)));
  });
}

/** The close code `ws` ends with. */
function closed(ws: WebSocket): Promise<number> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve(-1);
  return new Promise((resolve) => ws.once('close', (code: number) => resolve(code)));
}

/** Records every backend's process group, so the sandbox cleans up whatever a test leaves. */
async function recordBackends(sandbox: DaemonSandbox): Promise<ProjectState['backends']> {
  const backends = (await sandbox.cliJson<StatusJson>(['status'])).project?.backends ?? [];
  for (const b of backends) if (b.pid) sandbox.startedGroups.add(b.pid);
  return backends;
}

/** `<site>.<project>.localhost:<port>`, the Host a browser sends for the site's address. */
function localhostName(project: string, site: string, port: number): string {
  const label = path
    .basename(project)
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-');
  return `${site}.${label}.localhost:${port}`;
}

interface SuiteWebSockets {
  /** An open WebSocket to `pathname` with `host` as its Host (none: the bare address's). */
  connect: (host?: string) => Promise<WebSocket>;
  /** The headers the backend saw in the handshake of a WebSocket to /ws/headers/ with `host` and `headers`. */
  handshakeSeen: (host: string, headers: Record<string, string>) => Promise<Record<string, string | undefined>>;
  /** Sends `text` and resolves with the answer. */
  echo: (ws: WebSocket, text: string) => Promise<string>;
  /** Closes `ws` after the test, however it ends. */
  track: (ws: WebSocket) => WebSocket;
}

/** WebSockets to the suite's proxy at 127.0.0.1:`port()`, each closed after its test. */
function useWebSockets(port: () => number): SuiteWebSockets {
  const open: WebSocket[] = [];
  afterEach(() => {
    for (const ws of open.splice(0)) ws.terminate();
  });
  const track = (ws: WebSocket): WebSocket => {
    open.push(ws);
    return ws;
  };
  return {
    track,
    connect: (host) =>
      new Promise((resolve, reject) => {
        const ws = track(new WebSocket(`ws://127.0.0.1:${port()}/ws/echo/`, host ? { headers: { host } } : {}));
        ws.once('open', () => resolve(ws));
        ws.once('error', reject);
      }),
    handshakeSeen: async (host, headers) => {
      // Listening from the start: the backend sends as soon as it accepts.
      const ws = track(new WebSocket(`ws://127.0.0.1:${port()}/ws/headers/`, { headers: { host, ...headers } }));
      return JSON.parse(await within(5000, 'the handshake’s headers', nextMessage(ws))) as Record<string, string | undefined>;
    },
    echo: (ws, text) => {
      const answer = nextMessage(ws);
      ws.send(text);
      return within(5000, `the echo of "${text}"`, answer);
    },
  };
}

describe('WebSockets through the local proxy (real daemon, a Daphne runserver per site)', function () {
  const port = useFreePort(20_000);
  const sandbox = useSandbox({ requires: ['django', 'channels'], project: PROJECT });
  const hostOf = (site: string): string => localhostName(sandbox().demo, site, port());
  const { connect, echo, handshakeSeen, track } = useWebSockets(port);

  it('serves the current site over HTTP at the bare address (Daphne’s runserver behind the proxy)', async () => {
    await sandbox().cliJson<SwitchResult>(['switch', 'north', '--port', String(port()), '--routing', 'siteId']);
    assert.equal((await sandbox().cliJson<StatusJson>(['status'])).project?.strategy, 'siteId');
    const page = await requestVia(port(), `127.0.0.1:${port()}`);
    assert.equal(page.status, 200);
    assert.equal(page.body, '<h1 id="site-name">North Chat</h1>');
    await recordBackends(sandbox());
  });

  it('passes WebSockets to two sites at once, each upgrade to its own site’s backend (a cold one starts on it)', async () => {
    const [north, south] = await Promise.all([connect(hostOf('north')), connect(hostOf('south'))]);
    const backends = await recordBackends(sandbox());
    assert.deepEqual(backends.map((b) => [b.label, b.phase]).sort(), [
      ['North Chat', 'running'],
      ['South Chat', 'running'],
    ]);
    assert.notEqual(backends[0].pid, backends[1].pid);
    assert.deepEqual(await Promise.all([echo(north, 'hello'), echo(south, 'hello')]), ['North Chat: hello', 'South Chat: hello']);
    // Both stay open and independent: a second round, the other way round.
    assert.equal(await echo(south, 'again'), 'South Chat: again');
    assert.equal(await echo(north, 'again'), 'North Chat: again');
  });

  it('passes the browser’s Host on and says what it asked in X-Forwarded-*, as for HTTP', async () => {
    const seen = await handshakeSeen(hostOf('south'), { origin: `http://${hostOf('south')}` });
    assert.equal(seen.host, hostOf('south'));
    assert.equal(seen.origin, `http://${hostOf('south')}`);
    assert.equal(seen['x-forwarded-for'], '127.0.0.1');
    assert.equal(seen['x-forwarded-host'], hostOf('south'));
  });

  it('passes a WebSocket at the bare address to the current site; a switch retargets new ones, open ones stay', async () => {
    const bare = await connect();
    assert.equal(await echo(bare, 'bare'), 'North Chat: bare');
    await sandbox().cliJson<SwitchResult>(['switch', 'south']);
    const after = await connect(`localhost:${port()}`);
    assert.equal(await echo(after, 'bare'), 'South Chat: bare');
    assert.equal(await echo(bare, 'still'), 'North Chat: still', 'an open WebSocket keeps the backend it reached');
  });

  it('refuses a WebSocket to a .localhost name it does not know (404 to the upgrade)', async () => {
    const refused = await within(
      5000,
      'the answer to an unknown Host',
      new Promise<number>((resolve, reject) => {
        const ws = track(new WebSocket(`ws://127.0.0.1:${port()}/ws/echo/`, { headers: { host: `nope.localhost:${port()}` } }));
        ws.once('open', () => reject(new Error('the upgrade was accepted')));
        ws.once('unexpected-response', (_req, res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        ws.once('error', reject);
      }),
    );
    assert.equal(refused, 404);
  });

  it('closes cleanly from the browser’s side, and `stop` closes the WebSockets still open', async () => {
    const north = await connect(hostOf('north'));
    assert.equal(await echo(north, 'bye'), 'North Chat: bye');
    north.close(1000, 'done');
    assert.equal(await within(5000, 'a close from the browser', closed(north)), 1000);

    const south = await connect(hostOf('south'));
    assert.equal(await echo(south, 'last'), 'South Chat: last');
    const ended = closed(south);
    const stopped = await within(20_000, '`stop` with a WebSocket open', sandbox().cli(['stop']));
    assert.equal(stopped.code, 0, stopped.stderr);
    // The backend is stopped, not asked to close: no closing handshake (1006) or a going-away one (1001), but promptly.
    const code = await within(5000, 'the WebSocket closing after `stop`', ended);
    assert.ok(code === 1006 || code === 1001, `closed with ${code}`);
    assert.deepEqual(sandbox().processesInDemo(), []);
  });
});

describe('WebSockets through the local proxy (real daemon, one Daphne runserver for every site)', function () {
  const port = useFreePort(20_500);
  const sandbox = useSandbox({
    requires: ['django', 'channels'],
    project: PROJECT,
    // The settings read SITE_ID from the environment; multisite.json asks for Host routing instead.
    prepare: (s) => writeFileSync(path.join(s.demo, 'multisite.json'), '{ "routing": "host" }\n'),
  });
  const hostOf = (site: string): string => localhostName(sandbox().demo, site, port());
  const { connect, echo, handshakeSeen } = useWebSockets(port);

  it('sets each upgrade’s Host (and Origin) to its site’s domain, so one backend serves each site its own', async () => {
    await sandbox().cliJson<SwitchResult>(['switch', 'north', '--port', String(port())]);
    const backends = await recordBackends(sandbox());
    assert.deepEqual(
      backends.map((b) => b.label),
      ['every site'],
    );
    const [north, south] = await Promise.all([connect(hostOf('north')), connect(hostOf('south'))]);
    assert.deepEqual(await Promise.all([echo(north, 'hi'), echo(south, 'hi')]), ['North Chat: hi', 'South Chat: hi']);
    const seen = await handshakeSeen(hostOf('south'), { origin: `http://${hostOf('south')}` });
    assert.equal(seen.host, 'south.example');
    assert.equal(seen.origin, 'http://south.example', 'Origin kept in step with Host (Channels’ OriginValidator)');
    assert.equal(seen['x-forwarded-host'], hostOf('south'), 'the address the browser used');
  });
});

describe('WebSockets through the local proxy (real daemon, one Daphne runserver for every SITE_ID)', function () {
  const port = useFreePort(20_700);
  const sandbox = useSandbox({ requires: ['django', 'channels'], project: PROJECT });
  const hostOf = (site: string): string => localhostName(sandbox().demo, site, port());
  const { connect, echo } = useWebSockets(port);

  it('serves each upgrade as its own site (its consumer gets the SITE_ID of its handshake), and HTTP too', async () => {
    await sandbox().cliJson<SwitchResult>(['switch', 'north', '--port', String(port())]);
    assert.equal((await sandbox().cliJson<StatusJson>(['status'])).project?.strategy, 'siteIdPerRequest');
    const backends = await recordBackends(sandbox());
    assert.deepEqual(
      backends.map((b) => b.label),
      ['every site'],
    );
    const [north, south] = await Promise.all([connect(hostOf('north')), connect(hostOf('south'))]);
    assert.deepEqual(await Promise.all([echo(north, 'hi'), echo(south, 'hi')]), ['North Chat: hi', 'South Chat: hi']);
    assert.equal((await requestVia(port(), hostOf('south'))).body, '<h1 id="site-name">South Chat</h1>');
  });
});

describe('Daphne’s runserver on a port someone else holds (real Daphne)', function () {
  const sandbox = useSandbox({ requires: ['django', 'channels'], project: PROJECT });

  it('is stopped as soon as it says the address is in use (it would keep running without a port), and the start reports the port taken', async () => {
    const holder = createServer();
    const port = await new Promise<number>((resolve) => holder.listen(0, '127.0.0.1', () => resolve((holder.address() as AddressInfo).port)));
    const server = RunningServer.start({
      root: sandbox().demo,
      python: path.join(sandbox().demo, '.venv', 'bin', 'python'),
      port,
      siteId: 1,
      onLog: () => undefined,
      onUnexpectedExit: () => undefined,
      record: () => undefined, // no journal here: the sandbox stops the group
    });
    sandbox().startedGroups.add(server.pid);
    try {
      // Well within the 60 s start timeout the daemon would otherwise wait.
      await within(20_000, 'noticing the taken port', assert.rejects(server.waitUntilReady(60_000, new AbortController().signal)));
      assert.equal(server.portTaken, true);
      assert.equal(groupAlive(server.pid), false, 'its process group is gone');
    } finally {
      await server.stop();
      holder.close();
    }
  });
});
