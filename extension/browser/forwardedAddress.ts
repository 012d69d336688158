/**
 * Where a browser of this window reaches an address the product opens
 * (issue 25). In a remote window (Remote-SSH, WSL, Dev Containers,
 * Codespaces, code-server) the servers run on another machine and VS Code
 * forwards a port on request (`vscode.env.asExternalUri` on
 * `http://localhost:<port>`); locally it answers the same address. A forward
 * that is a plain port on this machine's loopback (`localhost:<any port>`)
 * reaches the proxy with whatever Host the browser sends, so a site's
 * `.localhost` name is put back on it. A forward under a name or a path of
 * its own (Codespaces' `<name>-<port>.app.github.dev`, code-server's
 * `/proxy/<port>/`) carries no site name: the site's own port is forwarded
 * instead. Pure, so it is unit-tested.
 */

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** What `http://localhost:<port>/` became, as the address to forward for `url`'s port. */
export function forwardable(url: URL): string {
  return `http://localhost:${url.port || (url.protocol === 'https:' ? '443' : '80')}/`;
}

/** Whether a browser on another machine resolves `host` to itself, as on this one: loopback names and `*.localhost`. */
function resolvesEverywhere(host: string): boolean {
  return LOOPBACK.has(host) || host.endsWith('.localhost');
}

/**
 * `url` as reached through `forwarded` (what `forwardable(url)` became): itself when nothing was
 * forwarded, its name on the forwarded port when the forward is a plain loopback port, else null
 * (the forward carries no name: another address of the site must be forwarded).
 */
export function throughForward(url: URL, forwarded: URL): URL | null {
  if (forwarded.href === forwardable(url)) return url;
  if (!LOOPBACK.has(forwarded.hostname) || forwarded.pathname !== '/' || !resolvesEverywhere(url.hostname)) return null;
  const reached = new URL(url);
  reached.protocol = forwarded.protocol;
  reached.port = forwarded.port;
  return reached;
}

/** `url`'s path and query on a forwarded address (which may have a path of its own: code-server's `/proxy/<port>/`). */
export function onForward(url: URL, forwarded: URL): URL {
  const base = new URL(forwarded);
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  return new URL(`${url.pathname.replace(/^\/+/, '')}${url.search}${url.hash}`, base);
}
