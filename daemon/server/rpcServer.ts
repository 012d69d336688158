/**
 * The daemon's transport: JSON-RPC over a WebSocket on 127.0.0.1. Every
 * upgrade must carry the token, and nothing a browser could send is accepted
 * (an Origin header, or a Host other than our loopback address and port), so a
 * web page can neither hijack the socket nor reach it by DNS rebinding.
 * Messages pass jsonRpcScreen.ts before the JSON-RPC dispatcher sees them.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from '../../protocol/wire';
import { createWebSocketConnection, toSocket } from '../../protocol/wire';
import type { Logger } from '../../protocol/wire';
import type { DaemonService } from './daemonService';
import { screenedSocket } from './jsonRpcScreen';
import { RateLimitedLog } from '../base/rateLimitedLog';

export type UpgradeVerdict = { ok: true } | { ok: false; status: 401 | 403; reason: string };

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * Whether `given` is the token, in a time that tells nothing about it: the
 * comparison is of two digests of the same length, so neither where the two
 * first differ nor how long `given` is changes what is compared.
 */
export function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/** Decides whether an upgrade request may talk to the daemon. Pure, so it is unit-tested. */
export function checkUpgrade(headers: IncomingMessage['headers'], port: number, token: string): UpgradeVerdict {
  // Browsers name the page's origin in Origin, and in Sec-WebSocket-Origin for version 8 of the protocol (which ws accepts).
  if (headers.origin !== undefined || headers['sec-websocket-origin'] !== undefined) {
    return { ok: false, status: 403, reason: 'browser origins are not allowed' };
  }
  if (headers.host !== `127.0.0.1:${port}`) return { ok: false, status: 403, reason: 'unexpected Host header' };
  const auth = headers.authorization ?? '';
  const match = /^Bearer (\S+)$/.exec(auth);
  if (!match || !sameSecret(match[1], token)) return { ok: false, status: 401, reason: 'missing or wrong token' };
  return { ok: true };
}

function refuse(socket: Duplex, status: 401 | 403, reason: string): void {
  const text = status === 401 ? 'Unauthorized' : 'Forbidden';
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`);
}

export function startRpcServer(service: DaemonService, token: string, log: (text: string) => void): Promise<{ server: Server; port: number }> {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024 * 1024 });
  const server = createServer((_req, res) => {
    res.writeHead(426, { 'Content-Type': 'text/plain' }).end('WebSocket upgrade required');
  });
  const logger: Logger = { error: log, warn: log, info: () => undefined, log: () => undefined };
  // Anyone on this machine can open connections: what they cost in log lines is bounded.
  const refusals = new RateLimitedLog(log, 'refused connections');
  let port = 0;
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // node stops listening for the socket's errors once it is upgraded; one nobody handles ends the daemon.
    socket.on('error', () => socket.destroy());
    const verdict = checkUpgrade(req.headers, port, token);
    if (!verdict.ok) {
      refusals.line(`refused a connection: ${verdict.reason}`);
      refuse(socket, verdict.status, verdict.reason);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const messages = screenedSocket(toSocket(ws as unknown as Parameters<typeof toSocket>[0]));
      service.attach(createWebSocketConnection(messages, logger));
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      server.off('error', reject);
      // Accepting can fail later (EMFILE): a line in the log, not the end of the daemon.
      server.on('error', (error) => refusals.line(`could not accept a connection: ${error.message}`));
      const address = server.address();
      port = typeof address === 'object' && address ? address.port : 0;
      resolve({ server, port });
    });
  });
}
