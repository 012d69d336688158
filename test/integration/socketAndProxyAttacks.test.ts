/**
 * Issue 14's attacks on what the daemon exposes, against the real daemon, the
 * real CLI and real runserver backends of the demo project:
 * - its JSON-RPC socket: no or a wrong token, browser origins, foreign Host
 *   headers (DNS rebinding), messages over the limit, malformed JSON-RPC,
 *   floods of connections;
 * - its home and discovery file: links, other users' files, files others can
 *   read or write;
 * - the `.localhost` proxy: absolute-form targets, CONNECT, foreign and
 *   duplicate Host headers, forged X-Forwarded-*, IPv6 literals, path
 *   traversal, WebSocket upgrades to names it does not serve.
 * After every attack a legitimate client is still served, and a canary server
 * on another loopback port has received no connection (no open proxy, no
 * SSRF). Every socket the daemon and its servers listen on is loopback.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import * as path from 'node:path';
import WebSocket from 'ws';
import { DaemonHome } from '../../home/daemonHome';
import { readDiscovery } from '../../home/discovery';
import type { Discovery } from '../../home/discovery';
import { processIdentity } from '../../home/processIdentity';
import { GetStatus } from '../../protocol/protocol';
import type { ProjectState, StatusResult } from '../../protocol/protocol';
import { choosePort } from '../../daemon/runners/freePort';
import { runCli } from '../support/cli';
import { addFigure } from '../support/figures';
import { HANDSHAKE, requestVia, upgradeStatus } from '../support/http';
import { listeningSocketsOf } from '../support/listeningSockets';
import { daemonsOf, stopDaemonsOf } from '../support/processes';
import { rawRequest } from '../support/rawHttp';
import { tempFolder } from '../support/tempProject';
import { useFreePort } from '../support/useFreePort';
import { useSandbox } from '../support/useSandbox';

interface StatusJson extends StatusResult {
  project: ProjectState | null;
}

const NOBODY = 65534;
/** The WebSocket handshake's fixed headers (RFC 6455's sample key). */
const HANDSHAKE_LINES = Object.entries(HANDSHAKE)
  .map(([name, value]) => `${name}: ${value}\r\n`)
  .join('');
/** The daemon's limit on one message (rpcServer.ts). */
const MAX_MESSAGE = 4 * 1024 * 1024;
const FLOOD = 1000;

const h1 = (body: string): string | null => /<h1 id="site-name">([^<]*)<\/h1>/.exec(body)?.[1] ?? null;

/**
 * Runs `during` while FLOOD connections to `port` hang open mid-request: half send `head` (a request
 * whose headers never end), the other half nothing at all. Every one is closed afterwards.
 */
async function whileHanging(port: number, head: string, during: () => Promise<void>): Promise<void> {
  const hanging: Socket[] = [];
  try {
    await Promise.all(
      Array.from(
        { length: FLOOD },
        (_, n) =>
          new Promise<void>((resolve, reject) => {
            const socket = connect(port, '127.0.0.1', () => {
              if (n % 2 === 0) socket.write(head);
              resolve();
            });
            socket.on('error', reject);
            hanging.push(socket);
          }),
      ),
    );
    await during();
  } finally {
    for (const socket of hanging) socket.destroy();
  }
}

/** A TCP server on a free loopback port that counts the connections it receives: none may reach it. */
function useCanary(): { port: () => number; connections: () => number } {
  let server: Server | undefined;
  let port = 0;
  let connections = 0;
  before(async () => {
    port = await choosePort(20_000 + (process.pid % 1000));
    server = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server?.listen(port, '127.0.0.1', resolve));
  });
  after(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });
  return { port: () => port, connections: () => connections };
}

/** An open, authenticated WebSocket to the daemon, as a client with the token has. */
function openSocket(discovery: Discovery): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${discovery.port}/`, { headers: { Authorization: `Bearer ${discovery.token}` } });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** The close code the daemon ends `ws` with. */
function closeCode(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => ws.once('close', (code: number) => resolve(code)));
}

interface RpcMessage {
  id?: number | string | null;
  result?: unknown;
  error?: { code: number; message: string };
}

describe('attacks on the daemon socket, its home and the .localhost proxy (real daemon, real runserver backends)', function () {
  this.timeout(120_000);
  const port = useFreePort(19_700, 300);
  const canary = useCanary();
  const sandbox = useSandbox({ requires: ['django'] });
  let attacks = 0;
  after(() => addFigure('attacks tried', attacks));

  const project = (): string =>
    path
      .basename(sandbox().demo)
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-');
  /** `<site>.<project>.localhost:<port>`, the Host a browser sends for the site's address. */
  const hostOf = (site: string): string => `${site}.${project()}.localhost:${port()}`;
  const discovery = (): Discovery => {
    const found = readDiscovery(new DaemonHome(sandbox().home));
    assert.ok(found, 'the daemon is running');
    return found;
  };

  /** After an attack: the daemon answers a new client, the proxy serves a site, and the canary saw nothing. */
  async function stillServed(): Promise<void> {
    const link = await sandbox().connect();
    try {
      assert.equal((await link.connection.sendRequest(GetStatus.type)).daemon.pid, discovery().pid, 'the daemon answers a new client');
    } finally {
      link.dispose();
    }
    const page = await requestVia(port(), hostOf('alpha'));
    assert.equal(h1(page.body), 'Alpha News', 'the proxy serves a site');
    assert.equal(canary.connections(), 0, 'the canary server received no connection');
  }

  before(async function () {
    this.timeout(60_000);
    assert.equal((await sandbox().cli(['switch', 'alpha', '--port', String(port())])).code, 0);
    // Three warm backends: every server the daemon starts is among the sockets checked below.
    for (const site of ['beta', 'gamma']) assert.equal((await requestVia(port(), hostOf(site))).status, 200);
    const backends = (await sandbox().cliJson<StatusJson>(['status'])).project?.backends ?? [];
    for (const b of backends) if (b.pid) sandbox().startedGroups.add(b.pid);
    assert.equal(backends.length, 3);
  });

  describe('the JSON-RPC socket', () => {
    it('refuses an upgrade without the token, or with a wrong one of any length (401)', async () => {
      const { port: rpc, token } = discovery();
      const flipped = `${token.slice(0, -1)}${token.endsWith('0') ? '1' : '0'}`;
      const wrong: Record<string, Record<string, string>> = {
        'no Authorization': {},
        'an empty bearer': { Authorization: 'Bearer ' },
        'a short token': { Authorization: 'Bearer x' },
        'the token but its last character': { Authorization: `Bearer ${token.slice(0, -1)}` },
        'the token and one more character': { Authorization: `Bearer ${token}0` },
        'a token of the right length, one character off': { Authorization: `Bearer ${flipped}` },
        'a token of the right length in other letters': { Authorization: `Bearer ${'é'.repeat(token.length)}` },
        'a 8 KB token': { Authorization: `Bearer ${'a'.repeat(8192)}` },
        'the token as Basic credentials': { Authorization: `Basic ${Buffer.from(`x:${token}`).toString('base64')}` },
        'the token as a subprotocol': { 'Sec-WebSocket-Protocol': token },
      };
      for (const [what, headers] of Object.entries(wrong)) {
        attacks++;
        assert.equal(await upgradeStatus(rpc, headers), 401, what);
      }
      attacks++;
      assert.equal(await upgradeStatus(rpc, {}, `/?token=${token}`), 401, 'the token in the URL');
      await stillServed();
    });

    it('refuses any browser origin, even with the token and even its own (403)', async () => {
      const { port: rpc, token } = discovery();
      const authorization = `Bearer ${token}`;
      for (const origin of [
        'http://evil.example',
        'null',
        `http://127.0.0.1:${rpc}`,
        'http://localhost',
        'vscode-webview://x',
        'chrome-extension://abc',
        'file://',
      ]) {
        attacks++;
        assert.equal(await upgradeStatus(rpc, { Authorization: authorization, Origin: origin }), 403, origin);
      }
      // Version 8 of the protocol (older browsers) names the page's origin in Sec-WebSocket-Origin.
      attacks++;
      assert.equal(
        await upgradeStatus(rpc, { Authorization: authorization, 'Sec-WebSocket-Version': '8', 'Sec-WebSocket-Origin': 'http://evil.example' }),
        403,
        'Sec-WebSocket-Origin',
      );
      await stillServed();
    });

    it('refuses a Host other than 127.0.0.1:<its port>, as DNS rebinding sends (403)', async () => {
      const { port: rpc, token } = discovery();
      const authorization = `Bearer ${token}`;
      const hosts = [
        `evil.example:${rpc}`,
        `localhost:${rpc}`,
        '127.0.0.1',
        `127.0.0.1:${rpc + 1}`,
        `[::1]:${rpc}`,
        `0.0.0.0:${rpc}`,
        `127.0.0.1.:${rpc}`,
        `2130706433:${rpc}`,
        `127.0.0.1:${rpc}.evil.example`,
      ];
      for (const host of hosts) {
        attacks++;
        assert.equal(await upgradeStatus(rpc, { Authorization: authorization, Host: host }), 403, host);
      }
      const raw = (hostLines: string, version = '1.1'): Promise<number> =>
        rawRequest(rpc, `GET / HTTP/${version}\r\n${hostLines}Authorization: ${authorization}\r\n${HANDSHAKE_LINES}\r\n`).then((a) => a.status);
      attacks++;
      assert.equal(await raw(`Host: evil.example:${rpc}\r\nHost: 127.0.0.1:${rpc}\r\n`), 403, 'a foreign Host before ours');
      attacks++;
      assert.equal(await raw('', '1.0'), 403, 'no Host');
      await stillServed();
    });

    it('closes a connection whose message is over the limit (1009), in one frame or in many, and serves others', async () => {
      const ws1 = await openSocket(discovery());
      const closed1 = closeCode(ws1);
      ws1.send('x'.repeat(MAX_MESSAGE + 1));
      attacks++;
      assert.equal(await closed1, 1009);

      const ws2 = await openSocket(discovery());
      const closed2 = closeCode(ws2);
      const piece = Buffer.alloc(1024 * 1024, 0x20);
      for (let n = 0; n < 4; n++) ws2.send(piece, { binary: false, fin: false });
      ws2.send('{}', { binary: false, fin: true });
      attacks++;
      assert.equal(await closed2, 1009, 'a message in frames under the limit that add up to more');
      await stillServed();
    });

    it('answers malformed JSON-RPC with its JSON-RPC error, keeps the connection, and stays well', async () => {
      const ws = await openSocket(discovery());
      const inbox: RpcMessage[] = [];
      /** Wakes the wait below: a message arrived, or the connection closed. */
      let wake: () => void = () => undefined;
      ws.on('message', (data: WebSocket.RawData) => {
        inbox.push(JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : '{}') as RpcMessage);
        wake();
      });
      ws.on('close', () => wake());
      let probe = 0;
      /** What the daemon answers `text` with (nothing: []), told apart by a status request sent after it on the same connection. */
      const answersTo = async (text: string): Promise<RpcMessage[]> => {
        const id = `probe-${++probe}`;
        inbox.length = 0;
        ws.send(text);
        ws.send(JSON.stringify({ jsonrpc: '2.0', id, method: GetStatus.method }));
        while (!inbox.some((m) => m.id === id)) {
          assert.equal(ws.readyState, WebSocket.OPEN, `the connection was kept after ${text.slice(0, 80)}`);
          await new Promise<void>((resolve) => (wake = resolve));
        }
        const probeAnswer = inbox.find((m) => m.id === id);
        assert.ok(probeAnswer && 'result' in probeAnswer, 'the request after it is answered');
        return inbox.filter((m) => m.id !== id);
      };
      const PARSE = -32700;
      const INVALID = -32600;
      const UNKNOWN = -32601;
      const BAD_REQUEST = 4000;
      const cases: [string, { code: number; id: number | string | null } | null][] = [
        ['not json', { code: PARSE, id: null }],
        ['', { code: PARSE, id: null }],
        ['{"jsonrpc":"2.0","id":1,"method":"daemon/status"', { code: PARSE, id: null }],
        ['null', { code: INVALID, id: null }],
        ['123', { code: INVALID, id: null }],
        ['"daemon/status"', { code: INVALID, id: null }],
        ['true', { code: INVALID, id: null }],
        ['[]', { code: INVALID, id: null }],
        ['[{"jsonrpc":"2.0","id":1,"method":"daemon/status"}]', { code: INVALID, id: null }],
        [`${'['.repeat(100_000)}${']'.repeat(100_000)}`, { code: INVALID, id: null }],
        ['{}', { code: INVALID, id: null }],
        ['{"jsonrpc":"2.0","id":2}', { code: INVALID, id: 2 }],
        ['{"jsonrpc":"2.0","id":{},"method":"daemon/status"}', { code: INVALID, id: null }],
        ['{"jsonrpc":"2.0","id":null,"method":"daemon/status"}', { code: INVALID, id: null }],
        ['{"jsonrpc":"2.0","id":3,"method":7}', { code: INVALID, id: 3 }],
        ['{"jsonrpc":"1.0","id":4,"method":"daemon/status"}', { code: INVALID, id: 4 }],
        ['{"id":5,"method":"daemon/status"}', { code: INVALID, id: 5 }],
        ['{"jsonrpc":"2.0","id":6,"method":"daemon/status","params":"x"}', { code: INVALID, id: 6 }],
        ['{"jsonrpc":"2.0","id":7,"method":"site/switch","params":null}', { code: INVALID, id: 7 }],
        ['{"jsonrpc":"2.0","id":8,"method":"no/such"}', { code: UNKNOWN, id: 8 }],
        ['{"jsonrpc":"2.0","id":9,"method":"__proto__"}', { code: UNKNOWN, id: 9 }],
        ['{"jsonrpc":"2.0","id":10,"method":"constructor"}', { code: UNKNOWN, id: 10 }],
        ['{"jsonrpc":"2.0","method":"no/such"}', null],
        ['{"jsonrpc":"2.0","id":11,"result":1}', null],
        ['{"jsonrpc":"2.0","id":12,"method":"site/switch","params":[null]}', { code: BAD_REQUEST, id: 12 }],
        ['{"jsonrpc":"2.0","id":13,"method":"site/switch","params":{}}', { code: BAD_REQUEST, id: 13 }],
        ['{"jsonrpc":"2.0","id":14,"method":"site/switch","params":{"root":7}}', { code: BAD_REQUEST, id: 14 }],
      ];
      for (const [text, expected] of cases) {
        attacks++;
        const answers = await answersTo(text);
        const what = text.slice(0, 80);
        if (!expected) {
          assert.deepEqual(answers, [], `no answer to ${what}`);
          continue;
        }
        assert.equal(answers.length, 1, `one answer to ${what}: ${JSON.stringify(answers)}`);
        assert.equal(answers[0].error?.code, expected.code, `the error code for ${what}: ${JSON.stringify(answers[0])}`);
        assert.equal(answers[0].id, expected.id, `the id of the answer to ${what}`);
        // A sentence for a person, not a stack trace.
        assert.match(answers[0].error?.message ?? '', /^[A-Z"].*[.:]?$/, `the message for ${what}`);
        assert.doesNotMatch(answers[0].error?.message ?? '', /\n|\bat \S+:\d+|Cannot destructure/, `the message for ${what}`);
      }
      ws.close();
      await stillServed();
      const log = readFileSync(path.join(sandbox().home, 'daemon.log'), 'utf8');
      assert.doesNotMatch(log, /internal error/, 'no malformed request reached the daemon as a failure of its own');
    });

    it(`serves a client while ${FLOOD} connections hang open mid-request and ${FLOOD} more are refused at once`, async () => {
      const { port: rpc } = discovery();
      await whileHanging(rpc, `GET / HTTP/1.1\r\nHost: 127.0.0.1:${rpc}\r\n${HANDSHAKE_LINES}`, async () => {
        attacks++;
        await stillServed();
        const statuses = await Promise.all(Array.from({ length: FLOOD }, () => upgradeStatus(rpc, { Authorization: 'Bearer wrong' })));
        attacks++;
        assert.deepEqual([...new Set(statuses)], [401]);
        await stillServed();
      });
    });
  });

  describe('the .localhost proxy', () => {
    /** The proxy's own page of sites for a name it does not serve: 404, the name escaped, no backend's page. */
    const assertSitesPage = (answer: { status: number; body: string }, what: string): void => {
      assert.equal(answer.status, 404, `${what}: ${answer.body.slice(0, 200)}`);
      assert.match(answer.body, /The sites of <code>/, `${what} gets the sites page`);
      assert.equal(h1(answer.body), null, `${what} reaches no backend`);
      assert.doesNotMatch(answer.body, /<script/i, `${what}: the name is escaped`);
    };
    const raw = (text: string): ReturnType<typeof rawRequest> => rawRequest(port(), text);

    /** The bare answer to a name that is not this machine's (issue 21): 421, naming no project, site or address. */
    const assertMisdirected = (answer: { status: number; body: string }, what: string): void => {
      assert.equal(answer.status, 421, `${what}: ${answer.body.slice(0, 200)}`);
      assert.equal(answer.body, 'Misdirected Request\n', `${what} names nothing`);
    };

    it('answers a name of its own it does not serve with the sites page, never a backend', async () => {
      const hosts = [
        'evil.localhost',
        `evil.localhost:${port()}`,
        `evil.${project()}.localhost:${port()}`,
        `alpha.evil.localhost:${port()}`,
        `127.0.0.2:${port()}`,
        `"><script>alert(1)</script>.${project()}.localhost`,
      ];
      for (const host of hosts) {
        attacks++;
        assertSitesPage(await requestVia(port(), host), host.slice(0, 60));
      }
      await stillServed();
    });

    it('answers any other Host with a bare 421 that names nothing (a DNS-rebinding page reads no site list)', async () => {
      const hosts = [
        `alpha.${project()}.localhost.evil.example:${port()}`,
        `${project()}.localhost.evil.example`,
        'evil.example',
        `evil.example:${canary.port()}`,
        'localhost.evil.example',
        '169.254.169.254',
        '169.254.169.254:80',
        'metadata.google.internal',
        '10.0.0.1:22',
        `0.0.0.0:${port()}`,
        `2130706433:${port()}`,
        `127.1:${port()}`,
        `[::ffff:a9fe:a9fe]:${port()}`,
        `[::ffff:127.0.0.1]:${canary.port()}`,
        '[fe80::1]',
        `[::1`,
        `[::1]evil.example:${port()}`,
        `[::1]:${port()}:${canary.port()}`,
        'a'.repeat(8000),
        '<script>alert(1)</script>',
      ];
      for (const host of hosts) {
        attacks++;
        assertMisdirected(await requestVia(port(), host), host.slice(0, 60));
      }
      attacks++;
      assert.equal((await requestVia(port(), `evil.example:${port()}`.padEnd(20_000, 'a'))).status, 431, 'a Host over the header limit');
      await stillServed();
    });

    it('serves only its current site at loopback names, whatever port the Host names', async () => {
      for (const host of [`127.0.0.1:${canary.port()}`, `localhost:${canary.port()}`, `[::1]:${canary.port()}`, `127.0.0.1:${port()}`, `[::1]:${port()}`]) {
        attacks++;
        const answer = await requestVia(port(), host);
        assert.equal(h1(answer.body), 'Alpha News', host);
      }
      await stillServed();
    });

    it('routes an absolute-form target by its own host, as RFC 9112 says, never to that host', async () => {
      const absolute = (target: string, host: string, extra = ''): Promise<{ status: number; body: string }> =>
        raw(`GET ${target} HTTP/1.1\r\nHost: ${host}\r\n${extra}Connection: close\r\n\r\n`);
      for (const target of ['http://169.254.169.254/latest/meta-data/', 'http://evil.example/', 'http://[fd00:ec2::254]/latest/meta-data/']) {
        attacks++;
        assertMisdirected(await absolute(target, hostOf('alpha')), target);
      }
      attacks++;
      assertSitesPage(await absolute(`http://evil.${project()}.localhost:${port()}/`, hostOf('alpha')), 'an absolute-form target of a name of its own');
      attacks++;
      assert.equal(h1((await absolute(`http://127.0.0.1:${canary.port()}/`, hostOf('beta'))).body), 'Alpha News', 'a loopback target is the current site');
      attacks++;
      assert.equal(h1((await absolute(`http://${hostOf('beta')}/`, hostOf('alpha'))).body), 'Beta Shop', 'the target names the site, not the Host header');
      attacks++;
      const upgrade = await absolute('http://169.254.169.254/', hostOf('alpha'), HANDSHAKE_LINES);
      assert.equal(upgrade.status, 421, 'a WebSocket upgrade to an absolute-form target of another host');
      await stillServed();
    });

    it('tunnels nothing: CONNECT gets no connection anywhere', async () => {
      for (const target of [`127.0.0.1:${canary.port()}`, '169.254.169.254:80', `${hostOf('alpha')}`]) {
        attacks++;
        const answer = await raw(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`);
        assert.notEqual(answer.status, 200, `CONNECT ${target}: ${answer.text.slice(0, 100)}`);
      }
      await stillServed();
    });

    it('refuses two Host headers (400), whichever comes first', async () => {
      for (const hosts of [
        ['evil.example', hostOf('alpha')],
        [hostOf('alpha'), 'evil.example'],
        [hostOf('alpha'), hostOf('beta')],
      ]) {
        attacks++;
        const answer = await raw(`GET / HTTP/1.1\r\nHost: ${hosts[0]}\r\nhost: ${hosts[1]}\r\nConnection: close\r\n\r\n`);
        assert.equal(answer.status, 400, `Host ${hosts.join(' and ')}: ${answer.text.slice(0, 200)}`);
      }
      await stillServed();
    });

    it('tells the backend what the browser asked, not what the request claims in X-Forwarded-* or Forwarded', async () => {
      attacks++;
      const seen = JSON.parse(
        (
          await requestVia(port(), hostOf('alpha'), '/request-headers/', {
            headers: {
              'x-forwarded-host': 'evil.example',
              'x-forwarded-for': '203.0.113.7',
              'x-forwarded-proto': 'https',
              'x-forwarded-port': '443',
              forwarded: 'for=203.0.113.7;host=evil.example;proto=https',
            },
          })
        ).body,
      ) as Record<string, string | null>;
      assert.equal(seen.HTTP_X_FORWARDED_HOST, hostOf('alpha'));
      assert.equal(seen.HTTP_X_FORWARDED_FOR, '127.0.0.1');
      assert.equal(seen.HTTP_X_FORWARDED_PROTO, 'http');
      assert.equal(seen.HTTP_X_FORWARDED_PORT, String(port()));
      assert.equal(seen.HTTP_FORWARDED, null);
      await stillServed();
    });

    it('serves no file outside the site for traversal in the path', async () => {
      const paths = [
        '/../../../../../../etc/passwd',
        '/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
        '/static/../../../../../../etc/passwd',
        '/static/..%2f..%2f..%2f..%2f..%2fetc%2fpasswd',
        '/static/%2e%2e%5c%2e%2e%5c%2e%2e%5cetc%5cpasswd',
        '//etc/passwd',
        `//127.0.0.1:${canary.port()}/`,
      ];
      for (const pathname of paths) {
        for (const host of [hostOf('alpha'), 'evil.example']) {
          attacks++;
          const answer = await requestVia(port(), host, pathname);
          assert.doesNotMatch(answer.body, /root:[^:]*:0:0:/, `${host} ${pathname}`);
          assert.notEqual(answer.status, 200, `${host} ${pathname}`);
        }
      }
      await stillServed();
    });

    it('refuses a request smuggled with two lengths (400)', async () => {
      for (const lengths of ['Content-Length: 5\r\nTransfer-Encoding: chunked', 'Content-Length: 0\r\nContent-Length: 44']) {
        attacks++;
        const smuggled = `GET /visit/ HTTP/1.1\r\nHost: ${hostOf('alpha')}\r\n\r\n`;
        const answer = await raw(`POST / HTTP/1.1\r\nHost: ${hostOf('alpha')}\r\n${lengths}\r\nConnection: close\r\n\r\n0\r\n\r\n${smuggled}`);
        assert.equal(answer.status, 400, lengths);
        assert.equal(h1(answer.body), null);
      }
      await stillServed();
    });

    it('answers WebSocket upgrades to names of its own it does not serve with 404, to any other name with 421', async () => {
      for (const [host, status] of [
        ['evil.localhost', 404],
        [`evil.${project()}.localhost:${port()}`, 404],
        ['169.254.169.254', 421],
        [`evil.example:${canary.port()}`, 421],
        ['[fe80::1]', 421],
      ] as const) {
        attacks++;
        const answer = await raw(`GET / HTTP/1.1\r\nHost: ${host}\r\n${HANDSHAKE_LINES}\r\n`);
        assert.equal(answer.status, status, host);
      }
      await stillServed();
    });

    it(`serves a site while ${FLOOD} connections hang open mid-request`, async () => {
      await whileHanging(port(), `GET / HTTP/1.1\r\nHost: ${hostOf('beta')}\r\n`, async () => {
        attacks++;
        await stillServed();
      });
    });
  });

  describe('what the daemon listens on', () => {
    it('binds every socket of the daemon, its proxy and every server it started to loopback', async () => {
      const { pid, port: rpc } = discovery();
      const state = (await sandbox().cliJson<StatusJson>(['status'])).project;
      const sockets = listeningSocketsOf(pid);
      const ports = new Set(sockets.map((s) => s.port));
      assert.ok(ports.has(rpc), 'the JSON-RPC socket is among them');
      assert.ok(ports.has(port()), 'the proxy is among them');
      for (const backend of state?.backends ?? []) {
        assert.ok(backend.url && ports.has(Number(new URL(backend.url).port)), `${backend.label}'s runserver is among them`);
      }
      assert.ok((state?.backends.length ?? 0) >= 3, 'with three backends running');
      for (const socket of sockets) assert.ok(['127.0.0.1', '::1'].includes(socket.address), `${JSON.stringify(socket)} is loopback`);
      attacks++;
    });
  });

  describe("the daemon's home and discovery file, when someone else could have prepared them", () => {
    let dir: string;
    let home: string;
    const env = (): NodeJS.ProcessEnv => ({
      MULTISITE_LOCAL_HOME: home,
      MULTISITE_LOCAL_HOSTS_FILE: path.join(dir, 'hosts'),
      MULTISITE_LOCAL_IDLE_MS: '600000',
    });
    const discoveryFile = (): string => path.join(home, 'daemon.json');
    /** A discovery file as an attacker writes it: a live pid (ours) and a port that leads to the canary. */
    const planted = (): string => {
      const start = processIdentity(process.pid)?.start ?? '';
      return JSON.stringify({ port: canary.port(), token: 'stolen', pid: process.pid, start, version: '0.1.0', protocol: 4 });
    };
    /** The CLI refuses with one sentence naming the file and what is wrong, starts no daemon and connects nowhere. */
    const assertRefused = async (clause: RegExp): Promise<void> => {
      const result = await runCli(['daemon', 'status'], env());
      assert.notEqual(result.code, 0);
      const lines = result.stderr.trim().split('\n');
      assert.equal(lines.length, 1, result.stderr);
      assert.match(lines[0], clause);
      assert.match(lines[0], /\.$/);
      assert.deepEqual(daemonsOf(home), []);
      assert.equal(canary.connections(), 0, 'the client connected nowhere');
    };

    beforeEach(() => {
      dir = tempFolder('attack-home');
      home = path.join(dir, 'home');
    });

    afterEach(async () => {
      await stopDaemonsOf(home);
      rmSync(dir, { recursive: true, force: true });
    });

    it('refuses a discovery file that is a link, another user’s, hard-linked, not a file, or open to others', async () => {
      mkdirSync(home, { mode: 0o700 });
      const attackers = path.join(dir, 'attacker.json');
      writeFileSync(attackers, planted(), { mode: 0o600 });
      /** The planted file with exactly `mode` (the umask takes bits off a new file's). */
      const plantWithMode = (mode: number): void => {
        writeFileSync(discoveryFile(), planted());
        chmodSync(discoveryFile(), mode);
      };
      const cases: [string, () => void, RegExp][] = [
        ['a link', () => symlinkSync(attackers, discoveryFile()), /daemon\.json is a symbolic link/],
        ['a hard link', () => linkSync(attackers, discoveryFile()), /daemon\.json has 2 names/],
        ['a FIFO', () => execFileSync('mkfifo', [discoveryFile()]), /daemon\.json is not a regular file/],
        ['a folder', () => mkdirSync(discoveryFile()), /daemon\.json is not a regular file/],
        ['readable by others', () => plantWithMode(0o644), /daemon\.json can be read by other users \(mode 0644\)/],
        ['writable by others', () => plantWithMode(0o602), /daemon\.json can be written by other users \(mode 0602\)/],
      ];
      if (process.getuid?.() === 0) {
        cases.push([
          'another user’s',
          () => {
            writeFileSync(discoveryFile(), planted(), { mode: 0o600 });
            chownSync(discoveryFile(), NOBODY, NOBODY);
          },
          /daemon\.json is owned by user 65534/,
        ]);
      }
      for (const [what, plant, clause] of cases) {
        attacks++;
        rmSync(discoveryFile(), { recursive: true, force: true });
        plant();
        await assertRefused(clause).catch((error: Error) => assert.fail(`${what}: ${error.message}`));
      }
    });

    it('refuses a home that is a link, another user’s, or writable or readable by others, and leaves it as it was', async () => {
      const elsewhere = path.join(dir, 'elsewhere');
      mkdirSync(elsewhere, { mode: 0o700 });
      /** The home with exactly `mode` (mkdir's mode passes through the umask). */
      const privateDir = (mode: number): void => {
        mkdirSync(home);
        chmodSync(home, mode);
      };
      const cases: [string, () => void, RegExp][] = [
        ['a link', () => symlinkSync(elsewhere, home), /home \S+ is a symbolic link/],
        ['writable by others', () => privateDir(0o777), /home \S+ can be written by other users \(mode 0777\)/],
        ['writable by its group', () => privateDir(0o770), /home \S+ can be written by other users \(mode 0770\)/],
        ['readable by others', () => privateDir(0o755), /home \S+ can be read by other users \(mode 0755\), so it is not used: run chmod 700 on it\.$/m],
      ];
      if (process.getuid?.() === 0) {
        cases.push([
          'another user’s',
          () => {
            mkdirSync(home, { mode: 0o700 });
            chownSync(home, NOBODY, NOBODY);
          },
          /home \S+ is owned by user 65534/,
        ]);
      }
      for (const [what, plant, clause] of cases) {
        attacks++;
        rmSync(home, { recursive: true, force: true });
        plant();
        const planted = lstatSync(home);
        const result = await runCli(['daemon', 'start'], env());
        assert.notEqual(result.code, 0, what);
        assert.match(result.stderr, clause, what);
        assert.deepEqual(daemonsOf(home), [], what);
        assert.deepEqual([lstatSync(home).mode, lstatSync(home).uid], [planted.mode, planted.uid], `${what}: left as it was`);
        if (what !== 'a link') assert.deepEqual(readdirSync(home), [], `${what}: nothing written in it`);
      }
      assert.deepEqual(readdirSync(elsewhere), [], 'nothing was written through the link');

      rmSync(home, { recursive: true, force: true });
      privateDir(0o700);
      assert.equal((await runCli(['daemon', 'start'], env())).code, 0);
      assert.equal(statSync(discoveryFile()).mode & 0o777, 0o600);
      assert.equal((await runCli(['daemon', 'stop'], env())).code, 0);
    });
  });
});
