/**
 * Finds the running daemon through its discovery file, starting one when
 * there is none, and opens an authenticated JSON-RPC connection to it.
 * Shared by the CLI and the extension (it does not import VS Code).
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import type { MessageConnection } from 'vscode-jsonrpc';
import { createWebSocketConnection, toSocket } from 'vscode-ws-jsonrpc';
import WebSocket from 'ws';
import type { DaemonHome } from './daemonHome';
import { readDiscovery } from './discovery';
import type { Discovery } from './discovery';
import { isAlive } from './processGroup';

export interface DaemonLink {
  connection: MessageConnection;
  discovery: Discovery;
  /** Resolves when the socket closes (daemon exit, crash or dispose). */
  closed: Promise<void>;
  dispose(): void;
}

export interface ConnectOptions {
  home: DaemonHome;
  /** The bundled daemon entry point, started with this process's own Node. */
  daemonScript: string;
  /** Start a daemon when none answers (false: fail instead). */
  autoStart: boolean;
  timeoutMs?: number;
}

export class DaemonNotRunningError extends Error {}

const quietLogger = { error: () => undefined, warn: () => undefined, info: () => undefined, log: () => undefined };

function openSocket(discovery: Discovery): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${discovery.port}/`, {
      headers: { Authorization: `Bearer ${discovery.token}` },
      handshakeTimeout: 5000,
    });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => {
      ws.terminate();
      reject(new Error(`the daemon refused the connection (HTTP ${res.statusCode})`));
    });
    ws.once('error', reject);
  });
}

async function tryConnect(home: DaemonHome): Promise<DaemonLink | null> {
  const discovery = readDiscovery(home);
  if (!discovery || !isAlive(discovery.pid)) return null;
  let ws: WebSocket;
  try {
    ws = await openSocket(discovery);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ECONNREFUSED') return null;
    throw error;
  }
  const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
  const connection = createWebSocketConnection(toSocket(ws as unknown as Parameters<typeof toSocket>[0]), quietLogger);
  connection.listen();
  return { connection, discovery, closed, dispose: () => connection.dispose() };
}

/** Starts a daemon; the returned function tells whether it already failed (exit code, or null while fine). */
function startDaemon(options: ConnectOptions): () => number | null {
  options.home.ensure();
  const log = openSync(options.home.logFile, 'a', 0o600);
  try {
    const child = spawn(process.execPath, [options.daemonScript], {
      detached: true,
      stdio: ['ignore', log, log],
      // In VS Code desktop execPath is Electron; this makes it behave as Node.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', MULTISITE_LOCAL_HOME: options.home.dir },
      windowsHide: true,
    });
    let failed: number | null = null;
    // Exit 0 means another daemon won the lock: keep waiting for that one.
    child.once('exit', (code) => (failed = code ? code : null));
    child.unref();
    return () => failed;
  } finally {
    closeSync(log);
  }
}

export async function connectToDaemon(options: ConnectOptions): Promise<DaemonLink> {
  const existing = await tryConnect(options.home);
  if (existing) return existing;
  if (!options.autoStart) throw new DaemonNotRunningError(`No daemon is running for ${options.home.dir}.`);
  const exitCode = startDaemon(options);
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const code = exitCode();
    if (code !== null) throw new Error(`The daemon exited while starting (code ${code}); see ${options.home.logFile}.`);
    const link = await tryConnect(options.home);
    if (link) return link;
  }
  throw new Error(`The daemon did not start within ${Math.round((options.timeoutMs ?? 15_000) / 1000)} s; see ${options.home.logFile}.`);
}
