/**
 * A debugger attached to a server under debugpy, as VS Code attaches (the
 * Debug Adapter Protocol client VS Code's own debug adapters are tested with),
 * with the attach configurations the extension starts.
 */
import * as assert from 'node:assert/strict';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { serverAttach } from '../../extension/debug/attachArguments';

/**
 * The line of the demo's visit view (`/visit/`) that counts the visit: one statement on one line
 * (Python 3.11 stops twice on the first line of a statement spanning several, once more for its call).
 */
export function visitLine(views: string): number {
  const line = readFileSync(views, 'utf8')
    .split('\n')
    .findIndex((text) => text.trim().startsWith('request.session["visits"] ='));
  assert.ok(line >= 0, `no visit count in ${views}`);
  return line + 1;
}

interface Stop {
  client: DebugClient;
  threadId: number;
}

/**
 * A debugger attached to debugpy as VS Code attaches, with the Python Debugger's configuration or ours:
 * to runserver's autoreloader, whose server (and each one after an edit) debugpy announces with
 * `debugpyAttach`, each attached in turn with a breakpoint at `views`:`line`. debugpy answers `attach`
 * only after the configuration is done.
 */
export class Debugger {
  readonly clients: DebugClient[] = [];
  private readonly closed = new Set<DebugClient>();
  private stops: Stop[] = [];
  private waiting: ((stop: Stop) => void) | null = null;
  /** How many servers were attached (the autoreloader's first, then one per reload). */
  servers = 0;

  constructor(
    private readonly views: string,
    private readonly line: number,
  ) {}

  /**
   * Attaches with `configuration` (attachArguments.ts: VS Code sends it whole as the attach's arguments) over
   * a connection to the port it names, as both configurations' adapters do; each server debugpy announces
   * is attached as the configuration's extension attaches it (serverAttach).
   */
  async attach(configuration: Record<string, unknown>): Promise<DebugClient> {
    const port = typeof configuration.debugpyPort === 'number' ? configuration.debugpyPort : (configuration.connect as { port: number }).port;
    const client = new DebugClient('node', 'unused', 'python');
    this.clients.push(client);
    client.on('debugpyAttach', (event: DebugProtocol.Event) => {
      void this.attach(serverAttach(event.body as Record<string, unknown>, configuration)).then(() => this.servers++);
    });
    client.on('stopped', (event: DebugProtocol.Event) => this.stopped({ client, threadId: (event.body as { threadId: number }).threadId }));
    await client.start(port);
    // DebugClient keeps waiting for the answer to `disconnect` on a connection the server closed: such a client is not stopped.
    (client as unknown as { _socket: Socket })._socket.once('close', () => this.closed.add(client));
    await client.initializeRequest({ adapterID: 'debugpy', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    const attached = client.attachRequest(configuration);
    await client.waitForEvent('initialized', 20_000);
    const set = await client.setBreakpointsRequest({ source: { path: this.views }, breakpoints: [{ line: this.line }] });
    assert.equal(set.body.breakpoints.length, 1);
    await client.configurationDoneRequest();
    await attached;
    return client;
  }

  private stopped(stop: Stop): void {
    if (this.waiting) this.waiting(stop);
    else this.stops.push(stop);
    this.waiting = null;
  }

  /** The next stop, in whichever server. */
  nextStop(): Promise<Stop> {
    const stop = this.stops.shift();
    if (stop) return Promise.resolve(stop);
    return new Promise((resolve) => (this.waiting = resolve));
  }

  /** Resolves once `count` servers were attached. */
  async serversAttached(count: number): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (this.servers < count) {
      if (Date.now() > deadline) throw new Error(`${this.servers} of ${count} servers attached`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Disconnects every session whose server is still there. */
  async stop(): Promise<void> {
    for (const client of this.clients.splice(0).reverse()) if (!this.closed.has(client)) await client.stop().catch(() => undefined);
  }
}
