/**
 * The pass of a request to its backend and of the answer back to the browser,
 * through http-proxy-3: what the proxy changes on the way (SiteProxy decides
 * where a request goes and answers what it does not pass on). To the backend,
 * the Host the site is served under and an Origin in step with it, and none of
 * the hop-by-hop headers that belong to one connection; back to the browser,
 * site domains named in Location and Set-Cookie as the addresses it uses
 * (AddressMap), an answer fit for a frame on a preview listener, and
 * connection headers describing the browser's own connection.
 */
import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { createProxyServer } from 'http-proxy-3';
import type { ServerOptions } from 'http-proxy-3';
import type { AddressMap } from './addressMap';
import { HOP_BY_HOP } from './edgeRequest';
import { forwardedOrigin } from './forwardedOrigin';
import { framedAnswer } from './previewFrame';
import { SITE_HEADER } from '../runners/perRequestScript';

/** Where a request goes. */
export interface ProxyTarget {
  /** The site served (its slug). */
  slug: string;
  label: string;
  /** The backend's port on 127.0.0.1. */
  port: number;
  /**
   * The Host the backend must see (Host routing), or null to pass the browser's on. A port in it
   * is also sent as X-Forwarded-Port: Wagtail picks a site by the port the request came to, which
   * Django takes from there with USE_X_FORWARDED_PORT (the Host's own port it ignores).
   */
  host: string | null;
  /** The mark of the request's site for one server of every site (`<secret>:<site id>`, perRequestScript.ts), or null. */
  siteMark?: string | null;
}

/** What the answer to a request must be mapped back with. */
export interface Served {
  slug: string;
  requestHost: string;
  /** Asked on the site's own port: other sites are named by theirs too. */
  ownPort: boolean;
  /** Asked on the site's preview listener: the answer is changed for a frame (previewFrame.ts). */
  preview: boolean;
}

/** The host and port a browser that asked as `served` reaches the site `slug` at (`localhostHost`: its `.localhost` name). */
export type AddressOf = (slug: string, localhostHost: string, served: Served) => string;

/**
 * What http-proxy itself puts on a request to a backend that belongs to that one connection
 * (`Connection: close`); the browser's were taken off at the edge. An upgrade keeps what makes it one.
 */
function dropHopByHop(outgoing: ClientRequest, upgrade: boolean): void {
  for (const name of HOP_BY_HOP) {
    if (upgrade && (name === 'connection' || name === 'upgrade')) continue;
    if (outgoing.hasHeader(name)) outgoing.removeHeader(name);
  }
}

function options(target: ProxyTarget, req: IncomingMessage): ServerOptions {
  const headers: Record<string, string> = {};
  if (target.host) {
    headers.host = target.host;
    const port = /:(\d+)$/.exec(target.host)?.[1];
    if (port) headers['x-forwarded-port'] = port;
  }
  if (target.siteMark) headers[SITE_HEADER] = target.siteMark;
  // Django 4+ compares Origin with the Host it sees: the browser's own pages are kept in step with it.
  const origin = forwardedOrigin(req.headers, target.host ?? req.headers.host ?? '');
  if (origin) headers.origin = origin;
  return { target: { host: '127.0.0.1', port: target.port }, headers };
}

export class ProxyPass {
  // A new loopback connection per request (about 0.1 ms): runserver answers a kept-alive
  // connection's later requests some 40 ms late (its headers and body go out in two writes
  // under Nagle, and the client delays its ACK), measured 44 ms against 3 ms fresh.
  private readonly proxy = createProxyServer({ xfwd: true, ws: true });
  private readonly served = new WeakMap<IncomingMessage, Served>();

  constructor(
    private readonly addresses: () => AddressMap,
    private readonly addressOf: AddressOf,
  ) {
    this.proxy.on('proxyReq', (outgoing) => dropHopByHop(outgoing, false));
    this.proxy.on('proxyReqWs', (outgoing, req) => {
      dropHopByHop(outgoing, true);
      // http-proxy-3's WebSocket pass sets X-Forwarded-For/-Port/-Proto but, unlike its HTTP pass,
      // not -Host: without it a backend behind Host routing cannot tell which address the browser used.
      if (req.headers.host && !outgoing.hasHeader('x-forwarded-host')) outgoing.setHeader('x-forwarded-host', req.headers.host);
    });
    this.proxy.on('proxyRes', (proxyRes, req, res) => {
      // A backend that resets mid-body: the browser's answer is cut too (http-proxy-3 would leave it open,
      // waiting for bytes that never come, until the browser gave up).
      proxyRes.once('close', () => !proxyRes.complete && res.destroy());
      this.mapBack(proxyRes, req, res);
    });
    // http-proxy-3 emits the browser socket's errors of a WebSocket here, and throws them when nobody listens
    // (issue 21: one reset upgrade ended the daemon). The browser has gone: only its socket is left to close.
    this.proxy.on('error', (_error, _req, target) => target?.destroy());
  }

  /** Passes the request to `target`'s backend, its answer mapped back as `served` says; `failed` when the backend cannot be reached. */
  web(req: IncomingMessage, res: ServerResponse, target: ProxyTarget, served: Served, failed: (error: Error) => void): void {
    this.served.set(req, served);
    this.proxy.web(req, res, options(target, req), failed);
  }

  /** Passes a WebSocket upgrade to `target`'s backend; its socket is closed when that fails. */
  ws(req: IncomingMessage, socket: Socket, head: Buffer, target: ProxyTarget): void {
    this.proxy.ws(req, socket, head, options(target, req), () => socket.destroy());
  }

  /** Drops every connection to the backends. */
  close(): void {
    this.proxy.close();
  }

  /**
   * Site domains named in the answer become the addresses the browser uses; the backend's connection
   * headers stay with the backend, and the browser's connection is described by what node will do with it.
   */
  private mapBack(proxyRes: IncomingMessage, req: IncomingMessage, res: ServerResponse): void {
    const served = this.served.get(req);
    if (!served) return;
    const addresses = this.addresses();
    const location = proxyRes.headers.location;
    if (location)
      proxyRes.headers.location = addresses.location(location, served.slug, served.requestHost, (slug, localhostHost) =>
        this.addressOf(slug, localhostHost, served),
      );
    const cookies = proxyRes.headers['set-cookie'];
    if (cookies) proxyRes.headers['set-cookie'] = addresses.cookies(cookies, served.slug, served.requestHost);
    if (served.preview) framedAnswer(proxyRes.headers);
    for (const name of ['connection', 'keep-alive', 'proxy-connection', 'upgrade']) delete proxyRes.headers[name];
    proxyRes.headers.connection = res.shouldKeepAlive ? 'keep-alive' : 'close';
  }
}
