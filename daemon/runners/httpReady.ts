/**
 * How a runner knows its server is up: a `HEAD` (of `/`, or of a path the server's bootstrap
 * answers: runningServer.ts) that gets any answer, polled
 * until it does, the server is gone, the start times out or is superseded.
 * A server under debugpy is only connected to (acceptsConnections): a request
 * would run the project's middleware and views, where a debugger attached at
 * once may have breakpoints, and stop there on the daemon's own probe.
 */
import { request } from 'node:http';
import { connect } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

/** How long one look may wait for an answer; a server busy starting answers the next look. */
const PROBE_TIMEOUT_MS = 2000;

/** How a probe asks: where, and with what. */
export interface ProbeRequest {
  /** The address to reach; 127.0.0.1 by default. */
  host?: string;
  /**
   * The Host to name when the Host picks the site (a site's domain, so Django does not log an
   * error for a Host it knows no site for); absent, Node's default `host:port`.
   */
  hostHeader?: string;
  /** The path asked for; `/` by default. */
  path?: string;
  headers?: Record<string, string>;
}

/** Answers whether anything speaks HTTP at the port (any status counts) within `timeoutMs`. */
export function answersHttp(port: number, probe: ProbeRequest = {}, timeoutMs = PROBE_TIMEOUT_MS): Promise<boolean> {
  return new Promise((resolve) => {
    const headers = { ...probe.headers, ...(probe.hostHeader === undefined ? {} : { host: probe.hostHeader }) };
    // A connection of its own: runserver may send a body after a HEAD answer, which would spoil a kept-alive socket's next answer.
    const options = {
      host: probe.host ?? '127.0.0.1',
      port,
      path: probe.path ?? '/',
      method: 'HEAD',
      headers,
      agent: false,
      timeout: Math.min(timeoutMs, PROBE_TIMEOUT_MS),
    };
    const req = request(options, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** Answers whether 127.0.0.1:port accepts a connection within `timeoutMs`; nothing is sent on it. */
export function acceptsConnections(port: number, timeoutMs = PROBE_TIMEOUT_MS): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, timeout: Math.min(timeoutMs, PROBE_TIMEOUT_MS) });
    const end = (accepted: boolean): void => {
      socket.destroy();
      resolve(accepted);
    };
    socket.once('connect', () => end(true));
    socket.once('timeout', () => end(false));
    socket.once('error', () => end(false));
  });
}

export interface ReadyPoll {
  /**
   * Whether the server is ready now; `budgetMs` is the time left before the deadline, which a
   * look must not outlast (a server that accepts connections and never answers is reported
   * when the timeout is up, not a probe's timeout later).
   */
  ready(budgetMs: number): Promise<boolean>;
  /** Whether the server is gone for good (then waiting stops). */
  gone?(): boolean;
  timeoutMs: number;
  intervalMs: number;
  signal: AbortSignal;
  /** The error for a server that never became ready in time. */
  timedOut(): Error;
}

/**
 * The one readiness poll of every runner: true once `ready()` says so, false if
 * the server is gone first; throws on timeout or when `signal` aborts.
 */
export async function pollUntilReady(poll: ReadyPoll): Promise<boolean> {
  const deadline = Date.now() + poll.timeoutMs;
  while (!poll.gone?.()) {
    if (poll.signal.aborted) throw new Error('superseded');
    if (await poll.ready(Math.max(1, deadline - Date.now()))) return true;
    if (Date.now() > deadline) throw poll.timedOut();
    // Woken by the abort too: a superseded start must give the project's queue back at once, not a look later.
    await delay(poll.intervalMs, undefined, { signal: poll.signal }).catch(() => undefined);
  }
  return false;
}
