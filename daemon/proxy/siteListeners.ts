/**
 * The proxy's listeners of one site each, beside the project's (issue 25):
 * every site's own port, and the preview's of the sites shown in VS Code's
 * preview. Each serves its one site whatever loopback name is used; which
 * requests they answer and how is the proxy's (`make`). Also how any of the
 * proxy's listeners listens and stops.
 */
import type { Server as HttpServer } from 'node:http';

/** A site's own port, or its preview's. */
export type ListenerKind = 'own' | 'preview';

interface Listener {
  server: HttpServer;
  port: number;
}

/** Listens on 127.0.0.1:`port` (0: one the system picks) and resolves with it; rejects when it is taken. */
export function listenOnLoopback(server: HttpServer, port: number, acceptFailed: (text: string) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    const failed = (error: Error): void => reject(error);
    server.once('error', failed);
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => {
      server.off('error', failed);
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      // Accepting can fail later (EMFILE when the process is out of descriptors): node emits `error` on the server.
      server.on('error', (error) => acceptFailed(`The proxy on port ${bound} could not accept a connection: ${error.message}`));
      resolve(bound);
    });
  });
}

/** Stops `server` listening and drops its connections. */
export function closeServer(server: HttpServer): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export class SiteListeners {
  private readonly open: Record<ListenerKind, Map<string, Listener>> = { own: new Map(), preview: new Map() };
  private closed = false;

  constructor(
    private readonly make: (site: string, kind: ListenerKind) => HttpServer,
    private readonly acceptFailed: (text: string) => void,
  ) {}

  /** Whether close() was called: nothing listens any more, and nothing will. */
  get stopped(): boolean {
    return this.closed;
  }

  /** `site`'s listener of `kind` on `port` (0: one the system picks); rejects when the port is taken or the proxy stopped. */
  async listen(kind: ListenerKind, site: string, port: number): Promise<number> {
    if (this.closed) throw new Error('the proxy was stopped');
    const server = this.make(site, kind);
    const bound = await listenOnLoopback(server, port, this.acceptFailed);
    // Stopped while it started listening: nothing would ever close it.
    if (this.closed) {
      await closeServer(server);
      throw new Error('the proxy was stopped');
    }
    this.open[kind].set(site, { server, port: bound });
    return bound;
  }

  portOf(kind: ListenerKind, site: string): number | null {
    return this.open[kind].get(site)?.port ?? null;
  }

  /** The ports every listener holds. */
  ports(): number[] {
    return Object.values(this.open).flatMap((open) => [...open.values()].map((listener) => listener.port));
  }

  /** The sites with a listener of `kind`. */
  sites(kind: ListenerKind): string[] {
    return [...this.open[kind].keys()];
  }

  /** Stops `site`'s listener of `kind` and its connections. */
  async closeFor(kind: ListenerKind, site: string): Promise<void> {
    const listener = this.open[kind].get(site);
    this.open[kind].delete(site);
    if (listener) await closeServer(listener.server);
  }

  /** Stops every listener and their connections; none opens after. */
  async close(): Promise<void> {
    this.closed = true;
    const listeners = Object.values(this.open).flatMap((open) => [...open.values()]);
    for (const open of Object.values(this.open)) open.clear();
    await Promise.all(listeners.map((listener) => closeServer(listener.server)));
  }
}
