/**
 * A site's own domain on this machine's server, written as a browser writes
 * it: the address shown to people, and the Host header a request names it
 * with (hosts mode's readiness probe sends what the browser will).
 */

/** `domain` at `port` as a browser sends it in Host: no port when that is 80. */
export function domainHost(domain: string, port: string | number | null): string {
  const shown = port === null || String(port) === '' || String(port) === '80' ? '' : `:${port}`;
  return `${domain}${shown}`;
}

/** The address of `domain` on this machine's server at `port`: no port in it when that is 80, as browsers write it. */
export function domainUrl(domain: string, port: string | number | null): string {
  return `http://${domainHost(domain, port)}/`;
}

/** The TCP port an address names, the scheme's default when it names none (a URL's `port` is '' then). */
export function urlPort(url: string): number {
  const parsed = new URL(url);
  return Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80));
}
