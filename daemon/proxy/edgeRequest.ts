/**
 * What the proxy makes of a browser's request before routing it. It is the
 * first proxy the request meets (the browser is on this machine), so:
 * - an absolute-form target (`GET http://host/path`, as sent to a forward
 *   proxy) names the host the request is for: RFC 9112 (3.2.2) has it replace
 *   the Host header, and the target becomes its path. The proxy then routes
 *   that host like any other, to one of its own backends or to the sites
 *   page, never to the host named (issue 14 sent the cloud metadata address);
 * - a request with two Host headers is refused (RFC 9112 3.2: 400): node keeps
 *   the first, another server could take the last;
 * - the X-Forwarded-* and Forwarded headers it brings are dropped: only the
 *   proxy can say what the browser asked, and a backend that trusts them
 *   (USE_X_FORWARDED_HOST, SECURE_PROXY_SSL_HEADER) would otherwise take a
 *   host or a scheme of the request's choosing; so are the X-Multisite-Local-*
 *   headers in which the proxy marks a request's site (perRequestScript.ts):
 *   without their secret they do nothing, and the browser has no business
 *   sending them;
 * - hop-by-hop headers, and those its Connection header names, belong to
 *   this connection (RFC 9110 7.6.1) and go here, before the proxy adds its
 *   own: issue 21's `Connection: Host, X-Forwarded-For` made the proxy drop
 *   the Host it had set (Django saw none) and came back in the answer. Host
 *   is never a connection option; an upgrade keeps Connection and Upgrade.
 * Pure but for changing the request in place, so it is unit-tested.
 */
import type { IncomingMessage } from 'node:http';

/** The parts of a request this looks at and changes. */
export type EdgeRequest = Pick<IncomingMessage, 'url' | 'headers' | 'rawHeaders'>;

/** Headers in which a proxy says what the client asked, or which site it is for; none can come from the browser. */
const FORWARDING = /^(forwarded|x-forwarded-.*|x-real-ip|x-multisite-local-.*)$/;

/** Request headers that belong to one connection, not to the request (RFC 9110 7.6.1). */
export const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'te', 'trailer', 'upgrade'];

/** A scheme and `//`: the target names its host (absolute-form), not only a path. */
const ABSOLUTE_FORM = /^[a-z][a-z\d+.-]*:\/\//i;

/**
 * Readies `req` for routing (see above) and returns null, or returns the
 * sentence it must be refused with (400) and leaves it as it was.
 */
export function admitRequest(req: EdgeRequest): string | null {
  const hosts = req.rawHeaders.filter((_, i) => i % 2 === 0 && req.rawHeaders[i].toLowerCase() === 'host').length;
  if (hosts > 1) return `The request has ${hosts} Host headers; it must have one.`;
  let target: URL | null = null;
  if (req.url && ABSOLUTE_FORM.test(req.url)) {
    try {
      target = new URL(req.url);
    } catch {
      return "The request's target is not a URL.";
    }
  }
  for (const name of Object.keys(req.headers)) if (FORWARDING.test(name)) delete req.headers[name];
  dropConnectionHeaders(req);
  if (target) {
    req.headers.host = target.host;
    req.url = `${target.pathname}${target.search}`;
  }
  return null;
}

/** Removes the browser's connection headers (see above); an upgrade keeps `Connection: upgrade` (nothing else it named) and `Upgrade`. */
function dropConnectionHeaders(req: EdgeRequest): void {
  const named = String(req.headers.connection ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name && name !== 'host');
  const upgrade = named.includes('upgrade') ? req.headers.upgrade : undefined;
  for (const name of [...HOP_BY_HOP, ...named]) delete req.headers[name];
  if (upgrade !== undefined) Object.assign(req.headers, { connection: 'upgrade', upgrade });
}
