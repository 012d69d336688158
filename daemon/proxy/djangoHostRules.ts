/**
 * Django's own rules for which Host and Origin it accepts, written out so the
 * daemon can tell, without running the project, which names Django would
 * refuse behind the local proxy. They follow django.http.request
 * (`split_domain_port`, `validate_host`, the DEBUG defaults of `get_host`) and
 * django.utils.http (`is_same_domain`), and CsrfViewMiddleware's reading of
 * CSRF_TRUSTED_ORIGINS (Django 4.0 and later).
 */

/**
 * What `get_host()` allows when DEBUG is True and ALLOWED_HOSTS is empty: subdomains of
 * localhost since Django 3.1 (ticket #31010), `localhost` alone before. A major version of 3
 * cannot tell 3.0 from 3.1, so it gets the newer list: a note then never claims a refusal
 * that the project's Django would not make.
 */
export function debugAllowedHosts(djangoMajor: number | null): readonly string[] {
  return djangoMajor !== null && djangoMajor < 3 ? ['localhost', '127.0.0.1', '[::1]'] : ['.localhost', '127.0.0.1', '[::1]'];
}

/** A domain name or a bracketed IPv6 address, then an optional numeric port (django.http.request.host_validation_re). */
const HOST = /^([a-z0-9.-]+|\[[a-f0-9]*:[a-f0-9.:]+\])(?::([0-9]+))?$/;

/**
 * A Host header as Django splits it: lower case, one trailing dot dropped;
 * an empty domain when Django finds the header malformed (it then refuses it
 * whatever ALLOWED_HOSTS says).
 */
export function splitDomainPort(host: string): { domain: string; port: string } {
  const match = HOST.exec(host.toLowerCase());
  if (!match) return { domain: '', port: '' };
  const domain = match[1];
  return { domain: domain.endsWith('.') ? domain.slice(0, -1) : domain, port: match[2] ?? '' };
}

/** `host` (already split and lower case) against one pattern: exact, or `.example.com` for it and its subdomains. */
export function isSameDomain(host: string, pattern: string): boolean {
  if (!pattern) return false;
  const p = pattern.toLowerCase();
  return (p.startsWith('.') && (host.endsWith(p) || host === p.slice(1))) || p === host;
}

/** Whether Django would accept `host` (a Host header, port allowed) with ALLOWED_HOSTS = `patterns`. */
export function allowedHostMatches(host: string, patterns: readonly string[]): boolean {
  const { domain } = splitDomainPort(host);
  return domain !== '' && patterns.some((pattern) => pattern === '*' || isSameDomain(domain, pattern));
}

/**
 * Whether CSRF_TRUSTED_ORIGINS = `trusted` lets an `Origin` header through when
 * it does not match the request's own host: an entry without `*` must equal it
 * exactly; an entry such as `https://*.example.com` admits that scheme for
 * example.com and its subdomains (CsrfViewMiddleware.allowed_origins_exact and
 * allowed_origin_subdomains).
 */
export function originTrusted(origin: string, trusted: readonly string[]): boolean {
  if (trusted.some((entry) => !entry.includes('*') && entry === origin)) return true;
  const request = splitOrigin(origin);
  if (!request) return false;
  return trusted.some((entry) => {
    if (!entry.includes('*')) return false;
    const allowed = splitOrigin(entry);
    return allowed !== null && allowed.scheme === request.scheme && isSameDomain(request.netloc, allowed.netloc.replace(/^\*+/, ''));
  });
}

/** Scheme (lower case, as urlparse gives it) and netloc of an origin; null when it has neither. */
function splitOrigin(origin: string): { scheme: string; netloc: string } | null {
  const match = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)/.exec(origin);
  return match ? { scheme: match[1].toLowerCase(), netloc: match[2] } : null;
}
