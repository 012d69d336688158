/**
 * Finds the running daemon through its discovery file, starting one when
 * there is none, and opens an authenticated JSON-RPC connection to it.
 * Shared by the CLI and the extension (it does not import VS Code).
 *
 * A daemon of another protocol or product version (an upgraded extension
 * meeting the daemon an older one started) is replaced when it is idle and
 * refused, with what to do, while it serves projects: see daemonVersion.ts.
 */
import { spawn } from 'node:child_process';
import { closeSync, watch } from 'node:fs';
import * as path from 'node:path';
import type { DaemonLink } from './daemonLink';
import { createWebSocketConnection, toSocket } from '../protocol/wire';
import { WebSocket } from '../protocol/wire';
import type { DaemonHome } from '../home/daemonHome';
import { liveLockHolder } from '../home/daemonLock';
import { isCurrentVersion, replaceOtherVersion } from './daemonVersion';
import { discoveredRuns, readDiscovery } from '../home/discovery';
import { leftBehind } from '../home/leftBehind';
import type { Discovery } from '../home/discovery';
import { openLog } from '../home/safeFile';
import { TakeRecoveryReport } from '../protocol/protocol';
import type { RecoveryReport } from '../protocol/protocol';

export interface ConnectOptions {
  home: DaemonHome;
  /** The bundled daemon entry point, started with this process's own Node. */
  daemonScript: string;
  /** Start a daemon when none answers (false: fail instead, but see `recoverLeftovers`). */
  autoStart: boolean;
  /**
   * With `autoStart` false: start one all the same when a daemon that stopped unexpectedly left
   * changes to undo (leftBehind.ts), so that its recovery stops the orphans and removes the
   * hosts entries now, not whenever a command next starts a daemon.
   */
  recoverLeftovers?: boolean;
  /**
   * Talk to a daemon of another version as it is (only through the messages whose shape
   * never changes: GetStatus and Shutdown), instead of replacing it. `daemon stop|status` do.
   */
  anyVersion?: boolean;
  timeoutMs?: number;
}

export class DaemonNotRunningError extends Error {}

const quietLogger = { error: () => undefined, warn: () => undefined, info: () => undefined, log: () => undefined };
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** How long a daemon that refuses or resets connections may take to be gone before it is taken as alive. */
const DYING_MS = 2000;

async function goneWithin(discovery: Discovery, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (discoveredRuns(discovery)) {
    if (Date.now() > deadline) return false;
    await sleep(10);
  }
  return true;
}

function openSocket(discovery: Discovery): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${discovery.port}/`, {
      headers: { Authorization: `Bearer ${discovery.token}` },
      handshakeTimeout: 5000,
      // Nothing to gain on loopback, and the daemon accepts none: not offered, so zlib is never loaded.
      perMessageDeflate: false,
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
  if (!discovery || !discoveredRuns(discovery)) return null;
  let ws: WebSocket;
  try {
    ws = await openSocket(discovery);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ECONNREFUSED' && code !== 'ECONNRESET') throw error;
    // A daemon being killed holds its port for a moment after its connections closed: a client that
    // noticed at once (the extension) is refused, or reset once the socket goes. Its successor can
    // take the lock only once the process is gone, so wait for that (a few milliseconds).
    const gone = await goneWithin(discovery, DYING_MS);
    if (gone || code === 'ECONNREFUSED') return null;
    throw error;
  }
  const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
  const connection = createWebSocketConnection(toSocket(ws as unknown as Parameters<typeof toSocket>[0]), quietLogger);
  connection.listen();
  const dispose = (): void => {
    connection.dispose();
    if (ws.readyState === WebSocket.CLOSED) return;
    ws.close();
    // The daemon answers a close at once; if it does not, do not keep this process alive for it.
    setTimeout(() => ws.terminate(), 1000).unref();
  };
  return { connection, discovery, closed, dispose };
}

/**
 * Resolves when something is written in the daemon's home under the discovery file's name (a
 * starting daemon advertises itself there), or after `ms` at the latest: the look that follows is
 * at once, not up to a poll's interval late. Where the system cannot watch the folder, after `ms`.
 */
function discoveryWritten(home: DaemonHome, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const name = path.basename(home.discoveryFile);
    let watcher: ReturnType<typeof watch> | null = null;
    const done = (): void => {
      clearTimeout(timer);
      watcher?.close();
      resolve();
    };
    const timer = setTimeout(done, ms);
    try {
      watcher = watch(home.dir, { persistent: false }, (_event, file) => {
        if (file === name) done();
      });
      watcher.on('error', () => undefined); // the timer still ends the wait
    } catch {
      // No watch here (a home on a file system without it): the timer ends the wait.
    }
  });
}

/**
 * V8 traded toward memory (the daemon mostly waits): a small young generation, which V8 would keep
 * at the size a burst grew it to, and lite mode. Measured with the proxy and 3 warm backends after
 * load: 77 MB without, 60 MB with; proxied p50 2.9 ms against 3.0 ms. Both are V8 flags, which
 * Electron run as Node (VS Code desktop) accepts as Node does.
 */
export const DAEMON_V8_FLAGS = ['--max-semi-space-size=1', '--lite-mode'];

/** Starts a daemon; the returned function tells whether it already failed (exit code, or null while fine). */
function startDaemon(options: ConnectOptions): () => number | null {
  options.home.ensure();
  // Checked like every file in the home: a link planted as the log must not receive the daemon's output.
  const log = openLog(options.home.logFile, `The daemon's log ${options.home.logFile}`);
  try {
    const child = spawn(process.execPath, [...DAEMON_V8_FLAGS, options.daemonScript], {
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

/** A connection to a daemon of our own version (unless `anyVersion`), or null when none answers (any more). */
async function connectExisting(options: ConnectOptions): Promise<DaemonLink | null> {
  const link = await tryConnect(options.home);
  if (!link || options.anyVersion || isCurrentVersion(link.discovery)) return link;
  await replaceOtherVersion(link);
  return null;
}

export async function connectToDaemon(options: ConnectOptions): Promise<DaemonLink> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const deadline = Date.now() + timeoutMs;
  const existing = await connectExisting(options);
  if (existing) return existing;
  if (!options.autoStart) {
    // A live daemon holds the lock but its discovery file is missing (deleted, or not written
    // yet while it starts): it writes it again within moments, so wait for it.
    while (liveLockHolder(options.home.lockFile) && Date.now() < deadline) {
      await sleep(50);
      const link = await connectExisting(options);
      if (link) return link;
    }
    if (!options.recoverLeftovers || liveLockHolder(options.home.lockFile) || !leftBehind(options.home))
      throw new DaemonNotRunningError(`No daemon is running for ${options.home.dir}.`);
  }
  let exitCode = startDaemon(options);
  while (Date.now() < deadline) {
    await discoveryWritten(options.home, 50);
    const code = exitCode();
    if (code !== null) throw new Error(`The daemon exited while starting (code ${code}); see ${options.home.logFile}.`);
    const link = await tryConnect(options.home);
    if (!link) continue;
    if (options.anyVersion || isCurrentVersion(link.discovery)) return link;
    // A client of another version started its daemon meanwhile (ours then left: one per home).
    await replaceOtherVersion(link);
    exitCode = startDaemon(options);
  }
  throw new Error(`The daemon did not start within ${Math.round(timeoutMs / 1000)} s; see ${options.home.logFile}.`);
}

/**
 * What the daemon's start-up recovery undid of a daemon that had stopped unexpectedly, if no client
 * was told yet (the daemon tells only the first that asks); null otherwise, and from a daemon too old
 * to know the message or one that went away meanwhile: telling is never worth a failure.
 */
export async function takeRecoveryReport(link: DaemonLink): Promise<RecoveryReport | null> {
  try {
    return await link.connection.sendRequest(TakeRecoveryReport.type);
  } catch {
    return null;
  }
}
