/**
 * The Origin a backend sees. Django 4+ refuses an unsafe request (a login
 * POST) whose Origin is not `<scheme>://<the Host it sees>`. The proxy
 * changes that Host (Host routing), and so may a forwarder in front of it
 * (VS Code's port forwarding, code-server's proxy, Codespaces, which also
 * present the page under a name of their own). An Origin is the browser's
 * own page, and becomes the Host the backend sees, when the browser says so
 * (`Sec-Fetch-Site: same-origin`), when it names the Host the request came
 * with, or when it is a name only this machine answers to. Any other Origin
 * (another site's page posting across) reaches Django as sent, which refuses
 * it as before. Pure, so it is unit-tested.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { hostName, isLoopbackName } from './addressMap';

/** The Origin to send for a request with `headers` to a backend that sees `backendHost`; null: leave it as it is. */
export function forwardedOrigin(headers: IncomingHttpHeaders, backendHost: string): string | null {
  const origin = headers.origin;
  if (!origin || origin === 'null' || !backendHost) return null;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return null;
  }
  const own = headers['sec-fetch-site'] === 'same-origin' || host.toLowerCase() === (headers.host ?? '').toLowerCase() || isLoopbackName(hostName(host));
  return own ? `http://${backendHost}` : null;
}
