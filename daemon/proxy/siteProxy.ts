/**
 * The project's local reverse proxy: one listener on 127.0.0.1 at the
 * project's port, routing by Host. The bare address serves the current site,
 * `<site>.<project>.localhost` that site, anything else a page listing the
 * sites (404). What a request may bring is decided first (edgeRequest.ts:
 * an absolute-form target names the host, two Host headers are refused).
 * Bodies stream both ways (uploads and chunked answers are never buffered),
 * WebSocket upgrades pass through, `X-Forwarded-*` say what the browser
 * asked (never what the request claimed), and hop-by-hop headers stop here. Browsers' connections are
 * kept alive, backends' are not (proxyPass.ts, which passes requests on and
 * answers back). Which backend serves a site, and under what Host, is the
 * caller's (ProxyRoutes); names in answers are mapped back by AddressMap.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { RateLimitedLog } from '../base/rateLimitedLog';
import { describePortHolder } from '../runners/portOwner';
import { hostName } from './addressMap';
import type { AddressMap, Route, SiteRoute } from './addressMap';
import { proxyBudget } from './connectionBudget';
import type { ConnectionBudget } from './connectionBudget';
import { admitRequest } from './edgeRequest';
import { exchangeEnd } from './exchangeEnd';
import { ProxyConnections } from './proxyConnections';
import { ProxyPass } from './proxyPass';
import type { ProxyTarget, Served } from './proxyPass';
import { SiteListeners, closeServer, listenOnLoopback } from './siteListeners';
import { SiteQueued } from './siteQueued';
import { previewStep } from './previewFrame';
import { failurePage, previewBlockedPage, queuedPage, refusalPage, sitesPage } from './sitesPage';
import type { ListedSite } from './sitesPage';

/** What the proxy asks of the project it serves. */
export interface ProxyRoutes {
  addresses(): AddressMap;
  /**
   * The backend for `route`, started and waited for when cold, held until `until` aborts (the request is over);
   * null when no site is current. Rejects with a sentence, or SiteQueued when the site has no warm slot for now.
   */
  target(route: SiteRoute, until: AbortSignal): Promise<ProxyTarget | null>;
  /** The project's name and its sites with their addresses, for the listing page. */
  listing(): { project: string; sites: ListedSite[] };
  /** The preview of `slug` keeps no cookie (previewFrame.ts): said to the editor; returns the site's browser address for the page. */
  previewBlocked(slug: string): ListedSite;
}

/** How long a browser may take to send a request's headers, and the whole request; then its connection is closed. */
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 60_000;
/** How long a kept-alive browser connection may wait for its next request. */
const KEEP_ALIVE_MS = 30_000;

/** The whole answer to a Host that is not this machine's: it names nothing (no project, no site). */
const MISDIRECTED = 'Misdirected Request\n';

/** Answers an upgrade the proxy does not pass on, and closes its connection. */
function endUpgrade(socket: Socket, status: string, text = '', headers = ''): void {
  const length = Buffer.byteLength(text);
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n${headers}Content-Type: text/plain; charset=utf-8\r\nContent-Length: ${length}\r\n\r\n${text}`);
}

export class SiteProxy {
  private readonly server: HttpServer;
  /** What passes to the backends and back (proxyPass.ts). */
  private readonly pass = new ProxyPass(
    () => this.routes.addresses(),
    (slug, localhostHost, served) => this.addressOf(slug, localhostHost, served),
  );
  private readonly connections: ProxyConnections;
  /** Backends that fail or reset can do so at the rate of a browser's requests: what they cost the log is bounded. */
  private readonly faults = new RateLimitedLog((text) => this.onError(text), 'proxy errors');
  private listeningPort = 0;
  /** Each site's own listener (issue 25: a port per site) and its preview's. */
  private readonly siteListeners: SiteListeners;

  constructor(
    private readonly routes: ProxyRoutes,
    private readonly onError: (text: string) => void,
    budget: ConnectionBudget = proxyBudget(),
  ) {
    this.connections = new ProxyConnections(budget);
    this.server = this.makeServer(null, false);
    this.siteListeners = new SiteListeners(
      (site, kind) => this.makeServer(site, kind === 'preview'),
      (text) => this.faults.line(text),
    );
  }

  /**
   * A listener: the project's (`site` null, routing by Host) or one site's (that site, whatever loopback name):
   * its own port, or with `preview` its preview's.
   */
  private makeServer(site: string | null, preview: boolean): HttpServer {
    // Checked every second, so a request whose headers never end is closed within HEADERS_TIMEOUT_MS + 1 s.
    const server = createServer({ connectionsCheckingInterval: 1000 }, (req, res) => void this.web(req, res, site, preview));
    server.headersTimeout = HEADERS_TIMEOUT_MS;
    server.requestTimeout = REQUEST_TIMEOUT_MS;
    server.keepAliveTimeout = KEEP_ALIVE_MS;
    server.on('connection', (socket: Socket) => this.connections.admit(socket));
    server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => void this.upgrade(req, socket, head, site));
    return server;
  }

  /** Listens on 127.0.0.1:`port`; rejects when it is taken. */
  listen(port: number): Promise<number> {
    return listenOnLoopback(this.server, port, (text) => this.faults.line(text)).then((bound) => (this.listeningPort = bound));
  }

  /** Listens on `preferred`, else on a port the system picks, saying which program holds `preferred`. */
  async listenPreferred(preferred: number): Promise<number> {
    try {
      return await this.listen(preferred);
    } catch {
      const holder = await describePortHolder(preferred);
      const port = await this.listen(0);
      this.onError(`Port ${preferred} is in use by ${holder}, so the sites are served on port ${port}.`);
      return port;
    }
  }

  /** `site` answers on 127.0.0.1:`port` too, whatever loopback name the browser uses; rejects when the port is taken. */
  listenFor(site: string, port: number): Promise<number> {
    return this.siteListeners.listen('own', site, port);
  }

  /**
   * The port of `site`'s preview listener (previewFrame.ts), opened on a port the system picks the first time:
   * nobody bookmarks a preview, and the sites' own ports stay where the book keeps them.
   */
  async previewPortOf(site: string): Promise<number> {
    return this.siteListeners.portOf('preview', site) ?? (await this.siteListeners.listen('preview', site, 0));
  }

  /** The ports of every listener: the project's, the sites' own and their previews'. */
  ports(): number[] {
    return [this.port, ...this.siteListeners.ports()];
  }

  /** Whether close() was called: nothing listens any more. */
  get stopped(): boolean {
    return this.siteListeners.stopped;
  }

  /** The port of `site`'s own listener, if it has one. */
  portOf(site: string): number | null {
    return this.siteListeners.portOf('own', site);
  }

  /** The sites with a listener of their own. */
  get sitesWithPorts(): string[] {
    return this.siteListeners.sites('own');
  }

  /**
   * Stops `site`'s own listener and its connections. Its preview's stays until the proxy stops: the preview
   * may be showing it (a site gone from the project gets the listing page there).
   */
  closeFor(site: string): Promise<void> {
    return this.siteListeners.closeFor('own', site);
  }

  get port(): number {
    return this.listeningPort;
  }

  /** Where a request goes: on a site's own port (`site`), that site, unless the Host is not this machine's. */
  private async resolve(req: IncomingMessage, until: AbortSignal, site: string | null): Promise<{ target: ProxyTarget | null; route: Route }> {
    const byHost = this.routes.addresses().route(req.headers.host);
    const route: Route = site === null || byHost.kind === 'foreign' ? byHost : { kind: 'site', slug: site };
    if (route.kind === 'unknown' || route.kind === 'foreign') return { target: null, route };
    return { target: await this.routes.target(route, until), route };
  }

  private async web(req: IncomingMessage, res: ServerResponse, site: string | null, preview: boolean): Promise<void> {
    const until = exchangeEnd(res);
    this.connections.busy(req.socket, until); // not closed to make room while it is answered
    const refused = admitRequest(req);
    if (refused) return this.answer(res, 400, refusalPage(refused));
    if (site !== null && preview && this.answeredPreviewStep(req, res, site)) return;
    let resolved;
    try {
      resolved = await this.resolve(req, until, site);
    } catch (error) {
      const route = this.routes.addresses().route(req.headers.host);
      const label = site ?? (route.kind === 'site' ? route.slug : 'the current site');
      // A site waiting for a warm slot is no failure: the browser may ask again.
      if (error instanceof SiteQueued) {
        res.setHeader('retry-after', String(error.retryAfterSeconds));
        return this.answer(res, 503, queuedPage(error.label, error.message));
      }
      return this.answer(res, 502, failurePage(label, (error as Error).message));
    }
    const { target, route } = resolved;
    if (route.kind === 'foreign')
      return void res.writeHead(421, { 'content-type': 'text/plain; charset=utf-8', 'content-length': MISDIRECTED.length }).end(MISDIRECTED);
    if (!target) {
      const { project, sites } = this.routes.listing();
      const heading = route.kind === 'unknown' ? `No site of ${project} is called ${req.headers.host ?? '(no Host)'}` : `No site of ${project} is being served`;
      return this.answer(res, 404, sitesPage(project, heading, sites));
    }
    const served: Served = { slug: target.slug, requestHost: req.headers.host ?? `127.0.0.1:${this.port}`, ownPort: site !== null && !preview, preview };
    this.pass.web(req, res, target, served, (error) => {
      this.faults.line(`The proxy could not reach the backend for ${target.label}: ${error.message}`);
      if (!res.headersSent) this.answer(res, 502, failurePage(target.label, `Its server did not answer (${error.message}).`));
      else res.destroy();
    });
  }

  private async upgrade(req: IncomingMessage, socket: Socket, head: Buffer, site: string | null): Promise<void> {
    const until = exchangeEnd(socket); // a WebSocket is busy for as long as it is open
    this.connections.busy(socket, until);
    const refused = admitRequest(req);
    if (refused) return endUpgrade(socket, '400 Bad Request', refused);
    let target: ProxyTarget | null;
    let route: Route;
    try {
      ({ target, route } = await this.resolve(req, until, site));
    } catch (error) {
      if (error instanceof SiteQueued) return endUpgrade(socket, '503 Service Unavailable', '', `Retry-After: ${error.retryAfterSeconds}\r\n`);
      // A site whose server could not start is a 502, as for HTTP: not a name the proxy does not know.
      this.faults.line(`A WebSocket to ${req.headers.host ?? '(no Host)'} found no server: ${(error as Error).message}`);
      return endUpgrade(socket, '502 Bad Gateway');
    }
    if (route.kind === 'foreign') return endUpgrade(socket, '421 Misdirected Request', MISDIRECTED);
    if (!target) return endUpgrade(socket, '404 Not Found');
    this.pass.ws(req, socket, head, target);
  }

  /**
   * The host and port a browser that asked as `served` reaches the site `slug` at: on a site's own port, the
   * other site's own port under the name the browser used (it may not resolve `*.localhost`); on a preview
   * listener (which serves its one site whatever the name), its `.localhost` name on the project's port;
   * else that name on the port the browser asked for (a forwarder's, which reaches the project's port).
   */
  private addressOf(slug: string, localhostHost: string, served: Served): string {
    const port = served.ownPort ? this.portOf(slug) : null;
    if (port !== null) return `${hostName(served.requestHost)}:${port}`;
    const asked = served.preview ? undefined : /:(\d+)$/.exec(served.requestHost)?.[1];
    return `${localhostHost}:${asked ?? this.port}`;
  }

  /**
   * Answers the preview's cookie check (previewFrame.ts) itself; false when the request is the site's, or
   * comes under a name that is not this machine's (it gets the 421 as anywhere: a rebound page reads nothing).
   */
  private answeredPreviewStep(req: IncomingMessage, res: ServerResponse, site: string): boolean {
    const step = previewStep(req.url, req.headers.cookie);
    if (!step || this.routes.addresses().route(req.headers.host).kind === 'foreign') return false;
    if (step.kind === 'blocked') {
      this.answer(res, 200, previewBlockedPage(this.routes.previewBlocked(site)));
      return true;
    }
    res.writeHead(302, { location: step.location, 'cache-control': 'no-store', 'content-length': 0, ...(step.cookie ? { 'set-cookie': step.cookie } : {}) });
    res.end();
    return true;
  }

  private answer(res: ServerResponse, status: number, html: string): void {
    if (res.headersSent) return void res.destroy();
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(html) });
    res.end(html);
  }

  /** Stops listening and drops every connection, to browsers and to backends. */
  async close(): Promise<void> {
    await Promise.all([this.siteListeners.close(), closeServer(this.server)]);
    this.pass.close();
  }
}
