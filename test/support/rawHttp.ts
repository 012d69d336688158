/**
 * Requests written byte by byte, for what node:http will not send: an
 * absolute-form target, CONNECT, two Host headers, a Host with characters a
 * URL cannot hold, a Content-Length beside chunked encoding. What comes back
 * is read as it is, until the server closes the connection.
 */
import { connect } from 'node:net';

export interface RawAnswer {
  /** The status code of the first response line, or 0 when the server closed without answering. */
  status: number;
  /** Everything the server sent, as text. */
  text: string;
  /** The body of the first response (what follows its blank line). */
  body: string;
}

/** `request` sent on a new connection to 127.0.0.1:`port`; resolves once the server closes it (or after `waitMs`, which then closes it). */
export function rawRequest(port: number, request: string, waitMs = 10_000): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(), waitMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // A server that refuses by resetting the connection has answered nothing.
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') reject(error);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('utf8');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0);
      const split = text.indexOf('\r\n\r\n');
      resolve({ status, text, body: split < 0 ? '' : text.slice(split + 4) });
    });
    socket.write(request);
  });
}
