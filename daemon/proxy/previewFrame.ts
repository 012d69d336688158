/**
 * What a site's preview address changes in its answers (issue 25), so that
 * VS Code's preview (the Simple Browser, a frame of the workbench) can show it
 * and keep its login:
 * - `X-Frame-Options` and CSP `frame-ancestors` go: Django's default
 *   XFrameOptionsMiddleware (`DENY`) would leave the frame blank;
 * - cookies become `SameSite=None; Secure; Partitioned`: the frame is
 *   cross-site to the workbench in most setups (workbench at `localhost`,
 *   desktop VS Code's webview origin, the site's own `*.localhost` name), where
 *   a browser sends a `Lax` cookie nowhere and blocks an unpartitioned one as
 *   third-party. A partitioned cookie lives only in frames of that workbench,
 *   never in the site's own tab. Browsers take `Secure` on http from
 *   127.0.0.1 and `*.localhost`.
 * Only preview listeners apply this; the addresses a browser uses keep the
 * site's own headers. The preview also starts at a cookie check: a browser
 * that keeps no cookie in a frame gets a page saying so (and the editor
 * offers the external browser) before a login form would fail with a 403.
 * Pure, so it is unit-tested.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { PreviewAddresses } from '../../protocol/protocol';

/** Where the preview starts: sets the check cookie and sends the frame on to CHECK_PATH. */
export const PREVIEW_PATH = '/__multisite-local/preview';
const CHECK_PATH = '/__multisite-local/preview-check';
const CHECK_COOKIE = 'multisite-local-preview';

/** Cookie attributes a partitioned cross-site cookie needs; the backend's own versions of them are replaced. */
const FRAME_ATTRIBUTES = /;\s*(samesite|secure|partitioned)\b(\s*=[^;]*)?/gi;

/** `line` (a Set-Cookie value) as a cookie the preview's frame keeps. */
export function partitionedCookie(line: string): string {
  return `${line.replace(FRAME_ATTRIBUTES, '')}; SameSite=None; Secure; Partitioned`;
}

/** A Content-Security-Policy value without its `frame-ancestors` directive; null when nothing else is left. */
function withoutFrameAncestors(policy: string): string | null {
  const kept = policy
    .split(';')
    .map((directive) => directive.trim())
    .filter((directive) => directive && !/^frame-ancestors(\s|$)/i.test(directive));
  return kept.length ? kept.join('; ') : null;
}

/** Changes a backend's answer headers, in place, for the preview (see above). */
export function framedAnswer(headers: IncomingHttpHeaders): void {
  delete headers['x-frame-options'];
  const policies = [headers['content-security-policy'] ?? []].flat();
  const kept = policies.map(withoutFrameAncestors).filter((policy): policy is string => policy !== null);
  if (kept.length) headers['content-security-policy'] = kept.join(', ');
  else delete headers['content-security-policy'];
  const cookies = headers['set-cookie'];
  if (cookies) headers['set-cookie'] = cookies.map(partitionedCookie);
}

/** What the preview listener answers itself for `url`, or null when the request is the site's. */
export type PreviewStep = { kind: 'redirect'; location: string; cookie: string | null } | { kind: 'blocked'; next: string } | null;

/** A path of the site to go on to: relative, so that it stays under a forwarder's path prefix (code-server's `/proxy/<port>/`). */
function nextPath(raw: string | null): string {
  const next = (raw ?? '').replace(/^\/+/, '');
  return /^[a-z][a-z\d+.-]*:/i.test(next) || next.startsWith('\\') ? '' : next;
}

/**
 * The cookie check: PREVIEW_PATH sets a partitioned cookie and redirects to CHECK_PATH, which goes on to
 * `next` when the cookie came back and says the preview is blocked when it did not. Locations are
 * relative (`preview-check`, `../<next>`) so a forwarder's path prefix is kept.
 */
export function previewStep(url: string | undefined, cookieHeader: string | undefined): PreviewStep {
  const parsed = new URL(url ?? '/', 'http://preview.invalid');
  const next = nextPath(parsed.searchParams.get('next'));
  if (parsed.pathname === PREVIEW_PATH)
    return {
      kind: 'redirect',
      location: `preview-check?next=${encodeURIComponent(next)}`,
      cookie: `${CHECK_COOKIE}=1; Path=/; Max-Age=60; HttpOnly; SameSite=None; Secure; Partitioned`,
    };
  if (parsed.pathname !== CHECK_PATH) return null;
  const kept = (cookieHeader ?? '').split(';').some((pair) => pair.trim() === `${CHECK_COOKIE}=1`);
  return kept
    ? { kind: 'redirect', location: `../${next}`, cookie: `${CHECK_COOKIE}=; Path=/; Max-Age=0; SameSite=None; Secure; Partitioned` }
    : { kind: 'blocked', next };
}

/** The address the preview starts at, on a preview listener's `origin` (`http://host:port`), going on to `path`. */
export function previewStart(origin: string, path: string): string {
  return `${origin}${PREVIEW_PATH}?next=${encodeURIComponent(nextPath(path))}`;
}

/** Where VS Code's preview shows a site at `path`: its preview listener's `port`, under the site's own name (`own`, when it has one) and bare. */
export function previewAddresses(port: number, own: string | null, path: string): PreviewAddresses {
  const bare = `http://127.0.0.1:${port}`;
  return { url: previewStart(own ? new URL(own).origin : bare, path), bareUrl: previewStart(bare, path) };
}
