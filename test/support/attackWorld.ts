/**
 * What the attack suites share (socketAttacks, proxyAttacks and daemonListeners tests, issue 14): a
 * sandboxed daemon serving the demo through its proxy with three warm backends, a canary server that
 * no request may reach, and after each attack the check that a legitimate client is still served.
 */
import * as assert from 'node:assert/strict';
import { connect, createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import * as path from 'node:path';
import WebSocket from 'ws';
import { DaemonHome } from '../../home/daemonHome';
import { readDiscovery } from '../../home/discovery';
import type { Discovery } from '../../home/discovery';
import { GetStatus } from '../../protocol/protocol';
import type { ProjectState, StatusResult } from '../../protocol/protocol';
import { choosePort } from '../../daemon/runners/freePort';
import { addFigure } from './figures';
import { HANDSHAKE, requestVia } from './http';
import { useFreePort } from './useFreePort';
import { useSandbox } from './useSandbox';

export interface StatusJson extends StatusResult {
  project: ProjectState | null;
}

export const NOBODY = 65534;
/** The WebSocket handshake's fixed headers (RFC 6455's sample key). */
export const HANDSHAKE_LINES = Object.entries(HANDSHAKE)
  .map(([name, value]) => `${name}: ${value}\r\n`)
  .join('');
/** The daemon's limit on one message (rpcServer.ts). */
export const MAX_MESSAGE = 4 * 1024 * 1024;
export const FLOOD = 1000;

export const h1 = (body: string): string | null => /<h1 id="site-name">([^<]*)<\/h1>/.exec(body)?.[1] ?? null;

/**
 * Runs `during` while FLOOD connections to `port` hang open mid-request: half send `head` (a request
 * whose headers never end), the other half nothing at all. Every one is closed afterwards.
 */
export async function whileHanging(port: number, head: string, during: () => Promise<void>): Promise<void> {
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
export function useCanary(): { port: () => number; connections: () => number } {
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
export function openSocket(discovery: Discovery): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${discovery.port}/`, { headers: { Authorization: `Bearer ${discovery.token}` } });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** The close code the daemon ends `ws` with. */
export function closeCode(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => ws.once('close', (code: number) => resolve(code)));
}

export interface RpcMessage {
  id?: number | string | null;
  result?: unknown;
  error?: { code: number; message: string };
}

/** The daemon and proxy under attack, set up before the suite's tests (see the module's comment). */
export function useAttackWorld() {
  const port = useFreePort(19_700, 300);
  const canary = useCanary();
  const sandbox = useSandbox({ requires: ['django'] });
  let attacks = 0;
  after(() => addFigure('attacks tried', attacks));
  /** One more attack tried (a figure of the run). */
  const tried = (): void => void attacks++;

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
    // Three warm backends, a server per site: every server the daemon starts is among the sockets checked below.
    assert.equal((await sandbox().cli(['switch', 'alpha', '--port', String(port()), '--routing', 'siteId'])).code, 0);
    for (const site of ['beta', 'gamma']) assert.equal((await requestVia(port(), hostOf(site))).status, 200);
    const backends = (await sandbox().cliJson<StatusJson>(['status'])).project?.backends ?? [];
    for (const b of backends) if (b.pid) sandbox().startedGroups.add(b.pid);
    assert.equal(backends.length, 3);
  });

  return { port, canary, sandbox, project, hostOf, discovery, stillServed, tried };
}
