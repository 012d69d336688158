/**
 * The browser connections one proxy holds, within the daemon's budget
 * (connectionBudget.ts). A connection is busy while a request of it is being
 * answered or once it is a WebSocket; otherwise it is idle: between requests
 * of a kept-alive connection, or still sending its first request's headers.
 * When the budget is spent, the oldest idle connection is closed to admit the
 * new one, so half-sent requests held open cannot lock out a real one; only
 * when every connection is busy is the new one closed at once.
 *
 * Every socket gets an error listener on arrival: an `error` event nobody
 * listens to is thrown, and a reset browser connection ended the daemon
 * (issue 21). Whoever else handles the socket's errors still sees them.
 */
import type { Socket } from 'node:net';
import type { ConnectionBudget } from './connectionBudget';

export class ProxyConnections {
  /** Open connections in arrival order (oldest first), with how many of their requests are being answered. */
  private readonly open = new Map<Socket, number>();

  constructor(private readonly budget: ConnectionBudget) {}

  /** Takes a new connection in, closing the oldest idle one if the budget is spent, or this one if all are busy. */
  admit(socket: Socket): void {
    socket.on('error', () => socket.destroy());
    if (!this.budget.take() && !this.evictIdle()) {
      socket.destroy();
      return;
    }
    this.open.set(socket, 0);
    socket.once('close', () => {
      // An evicted socket's share went to the connection that replaced it.
      if (this.open.delete(socket)) this.budget.give();
    });
  }

  /** `socket` answers a request until `until` aborts (exchangeEnd.ts: the answer is sent, or the WebSocket closed). */
  busy(socket: Socket, until: AbortSignal): void {
    const count = this.open.get(socket);
    if (count === undefined || until.aborted) return;
    this.open.set(socket, count + 1);
    until.addEventListener(
      'abort',
      () => {
        const now = this.open.get(socket);
        if (now !== undefined) this.open.set(socket, now - 1);
      },
      { once: true },
    );
  }

  /** Closes the oldest idle connection and hands its share on; false when every one is busy. */
  private evictIdle(): boolean {
    for (const [socket, requests] of this.open) {
      if (requests > 0) continue;
      this.open.delete(socket);
      socket.destroy();
      return true;
    }
    return false;
  }

  get size(): number {
    return this.open.size;
  }
}
