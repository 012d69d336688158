/**
 * How a runner knows its server is up: a `HEAD /` that gets any answer, polled
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

/**
 * Answers whether anything speaks HTTP at host:port (any status counts) within `timeoutMs`.
 * `hostHeader`: the Host to name when the Host picks the site (a site's domain, so Django does
 * not log an error for a Host it knows no site for); absent, Node's default `host:port`.
 */
export function answersHttp(port: number, host = '127.0.0.1', hostHeader?: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<boolean> {
  return new Promise((resolve) => {
    const headers = hostHeader === undefined ? {} : { host: hostHeader };
    const req = request({ host, port, path: '/', method: 'HEAD', headers, timeout: Math.min(timeoutMs, PROBE_TIMEOUT_MS) }, (res) => {
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
