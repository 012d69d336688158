/**
 * The project's local reverse proxy: one listener on 127.0.0.1 at the
 * project's port, routing by Host. The bare address serves the current site,
 * `<site>.<project>.localhost` that site, anything else a page listing the
 * sites (404). What a request may bring is decided first (edgeRequest.ts:
 * an absolute-form target names the host, two Host headers are refused).
 * Bodies stream both ways (uploads and chunked answers are never buffered),
 * WebSocket upgrades pass through, `X-Forwarded-*` say what the browser
 * asked (never what the request claimed), and hop-by-hop headers stop here. Browsers' connections are
 * kept alive, backends' are not (see below). Which backend serves a site, and
 * under what Host, is the caller's (ProxyRoutes); names in answers are mapped
 * back by AddressMap.
 */
import { createServer } from 'node:http';
import type { ClientRequest, IncomingHttpHeaders, IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { createProxyServer } from 'http-proxy-3';
import type { ServerOptions } from 'http-proxy-3';
import type { AddressMap, Route } from './addressMap';
import { admitRequest } from './edgeRequest';
import { exchangeEnd } from './exchangeEnd';
import { SiteQueued } from './siteQueued';
import { failurePage, queuedPage, refusalPage, sitesPage } from './sitesPage';
import type { ListedSite } from './sitesPage';

/** Where a request goes. */
export interface ProxyTarget {
  /** The site served (its slug). */
  slug: string;
  label: string;
  /** The backend's port on 127.0.0.1. */
  port: number;
  /** The Host the backend must see (Host routing), or null to pass the browser's on. */
  host: string | null;
}

/** What the proxy asks of the project it serves. */
export interface ProxyRoutes {
  addresses(): AddressMap;
  /**
   * The backend for `route`, started and waited for when cold, held until `until` aborts (the request is over);
   * null when no site is current. Rejects with a sentence, or SiteQueued when the site has no warm slot for now.
   */
  target(route: Exclude<Route, { kind: 'unknown' }>, until: AbortSignal): Promise<ProxyTarget | null>;
  /** The project's name and its sites with their addresses, for the listing page. */
  listing(): { project: string; sites: ListedSite[] };
}

/** Request headers that belong to one connection, not to the request (RFC 9110 7.6.1). */
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'te', 'trailer', 'upgrade'];

/**
 * Takes hop-by-hop headers, and those the browser's Connection header names, off a request
 * to a backend before it is sent (the agent adds its own keep-alive); an upgrade keeps what
 * it needs to be one.
 */
function dropHopByHop(outgoing: ClientRequest, incoming: IncomingHttpHeaders, upgrade: boolean): void {
  const named = String(incoming.connection ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  for (const name of [...HOP_BY_HOP, ...named]) {
    if (upgrade && (name === 'connection' || name === 'upgrade')) continue;
    if (outgoing.hasHeader(name)) outgoing.removeHeader(name);
  }
}

/** What the answer to a request must be mapped back with. */
interface Served {
  slug: string;
  requestHost: string;
}

export class SiteProxy {
  private readonly server: HttpServer;
  // A new loopback connection per request (about 0.1 ms): runserver answers a kept-alive
  // connection's later requests some 40 ms late (its headers and body go out in two writes
  // under Nagle, and the client delays its ACK), measured 44 ms against 3 ms fresh.
  private readonly proxy = createProxyServer({ xfwd: true, ws: true });
  private readonly served = new WeakMap<IncomingMessage, Served>();
  private listeningPort = 0;

  constructor(
    private readonly routes: ProxyRoutes,
    private readonly onError: (text: string) => void,
  ) {
    this.server = createServer((req, res) => void this.web(req, res));
    this.server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => void this.upgrade(req, socket, head));
    this.server.keepAliveTimeout = 30_000;
    this.proxy.on('proxyReq', (outgoing, req) => dropHopByHop(outgoing, req.headers, false));
    this.proxy.on('proxyReqWs', (outgoing, req) => {
      dropHopByHop(outgoing, req.headers, true);
      // http-proxy-3's WebSocket pass sets X-Forwarded-For/-Port/-Proto but, unlike its HTTP pass,
      // not -Host: without it a backend behind Host routing cannot tell which address the browser used.
      if (req.headers.host && !outgoing.hasHeader('x-forwarded-host')) outgoing.setHeader('x-forwarded-host', req.headers.host);
    });
    this.proxy.on('proxyRes', (proxyRes, req) => this.mapBack(proxyRes, req));
  }

  /** Listens on 127.0.0.1:`port`; rejects when it is taken. */
  listen(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const failed = (error: Error): void => reject(error);
      this.server.once('error', failed);
      this.server.listen({ host: '127.0.0.1', port, exclusive: true }, () => {
        this.server.off('error', failed);
        const address = this.server.address();
        this.listeningPort = typeof address === 'object' && address ? address.port : port;
        resolve(this.listeningPort);
      });
    });
  }

  get port(): number {
    return this.listeningPort;
  }

  private options(target: ProxyTarget, req: IncomingMessage): ServerOptions {
    const headers: Record<string, string> = {};
    if (target.host) {
      headers.host = target.host;
      // Django 4+ compares Origin with the Host it sees: keep the two in step.
      if (req.headers.origin) headers.origin = `http://${target.host}`;
    }
    return { target: { host: '127.0.0.1', port: target.port }, headers };
  }

  private async resolve(req: IncomingMessage, until: AbortSignal): Promise<{ target: ProxyTarget | null; route: Route }> {
    const route = this.routes.addresses().route(req.headers.host);
    if (route.kind === 'unknown') return { target: null, route };
    return { target: await this.routes.target(route, until), route };
  }

  private async web(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const refused = admitRequest(req);
    if (refused) return this.answer(res, 400, refusalPage(refused));
    let resolved;
    try {
      resolved = await this.resolve(req, exchangeEnd(res));
    } catch (error) {
      const route = this.routes.addresses().route(req.headers.host);
      const label = route.kind === 'site' ? route.slug : 'the current site';
      // A site waiting for a warm slot is no failure: the browser may ask again.
      if (error instanceof SiteQueued) {
        res.setHeader('retry-after', String(error.retryAfterSeconds));
        return this.answer(res, 503, queuedPage(error.label, error.message));
      }
      return this.answer(res, 502, failurePage(label, (error as Error).message));
    }
    const { target, route } = resolved;
    if (!target) {
      const { project, sites } = this.routes.listing();
      const heading = route.kind === 'unknown' ? `No site of ${project} is called ${req.headers.host ?? '(no Host)'}` : `No site of ${project} is being served`;
      return this.answer(res, 404, sitesPage(project, heading, sites));
    }
    this.served.set(req, { slug: target.slug, requestHost: req.headers.host ?? `127.0.0.1:${this.port}` });
    this.proxy.web(req, res, this.options(target, req), (error) => {
      this.onError(`The proxy could not reach the backend for ${target.label}: ${error.message}`);
      if (!res.headersSent) this.answer(res, 502, failurePage(target.label, `Its server did not answer (${error.message}).`));
      else res.destroy();
    });
  }

  private async upgrade(req: IncomingMessage, socket: Socket, head: Buffer): Promise<void> {
    socket.on('error', () => socket.destroy());
    const refused = admitRequest(req);
    if (refused) {
      socket.end(
        `HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(refused)}\r\n\r\n${refused}`,
      );
      return;
    }
    let target: ProxyTarget | null;
    try {
      target = (await this.resolve(req, exchangeEnd(socket))).target;
    } catch (error) {
      if (error instanceof SiteQueued) {
        socket.end(`HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: ${error.retryAfterSeconds}\r\nContent-Length: 0\r\n\r\n`);
        return;
      }
      // A site whose server could not start is a 502, as for HTTP: not a name the proxy does not know.
      this.onError(`A WebSocket to ${req.headers.host ?? '(no Host)'} found no server: ${(error as Error).message}`);
      socket.end('HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    if (!target) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.proxy.ws(req, socket, head, this.options(target, req), () => socket.destroy());
  }

  /** Site domains named in the answer become the addresses the browser uses; the backend's connection headers stay with the backend. */
  private mapBack(proxyRes: IncomingMessage, req: IncomingMessage): void {
    const served = this.served.get(req);
    if (!served) return;
    const addresses = this.routes.addresses();
    const location = proxyRes.headers.location;
    if (location) proxyRes.headers.location = addresses.location(location, served.slug, served.requestHost, this.port);
    const cookies = proxyRes.headers['set-cookie'];
    if (cookies) proxyRes.headers['set-cookie'] = addresses.cookies(cookies, served.slug, served.requestHost);
    for (const name of ['connection', 'keep-alive', 'proxy-connection', 'upgrade']) delete proxyRes.headers[name];
  }

  private answer(res: ServerResponse, status: number, html: string): void {
    if (res.headersSent) return void res.destroy();
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(html) });
    res.end(html);
  }

  /** Stops listening and drops every connection, to browsers and to backends. */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    this.proxy.close();
  }
}
