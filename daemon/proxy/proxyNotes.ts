/**
 * Notes on what would make Django refuse the requests the local proxy
 * forwards, from facts read out of the project's settings: one sentence each,
 * naming the setting, where it is, and what to change. Pure, so each rule is
 * tested on its own; a note is only written when the facts make it certain.
 *
 * What Django sees in each routing:
 * - `siteId`: the browser's Host unchanged (`alpha.myproj.localhost:8000`, or
 *   `127.0.0.1:8000` on the bare address), and an Origin that matches it.
 * - `host`: Host set to the site's local domain (`alpha-news.example`), Origin
 *   rewritten to `http://<that domain>`, X-Forwarded-Host the browser's host.
 *
 * CSRF (Django 4.0+, CsrfViewMiddleware.process_view and _origin_verified):
 * a POST with an Origin passes when Origin equals `<scheme>://<request.get_host()>`,
 * else only when CSRF_TRUSTED_ORIGINS lists it; the Referer is checked only on
 * HTTPS, which the proxy never is. In siteId routing Origin and Host are the
 * browser's own, and in host routing the proxy rewrites Origin to the Host it
 * sets, so POSTs pass in both without CSRF_TRUSTED_ORIGINS. The one failing
 * case: host routing with USE_X_FORWARDED_HOST, where get_host() is the
 * `.localhost` name from X-Forwarded-Host while Origin is the site's domain;
 * the USE_X_FORWARDED_HOST note names that 403 too, as one change fixes both.
 * (In siteId routing X-Forwarded-Host, when sent, is the browser's Host itself,
 * so USE_X_FORWARDED_HOST changes nothing there.)
 */
import type { ConfigDiagnostic, ProxyRouting } from '../../protocol/protocol';
import type { ServingFacts } from '../sites/servingFacts';
import type { SiteConfig } from '../sites/siteConfig';
import { SiteAddresses, hostFor } from './siteAddresses';
import { allowedHostMatches, debugAllowedHosts, originTrusted, splitDomainPort } from './djangoHostRules';
import { listed } from '../base/sentence';

export interface ProxiedHosts {
  /** The Host names browsers use through the proxy: `<site>.<project>.localhost`, `127.0.0.1`. */
  proxied: string[];
  /** Each site's local domain, the Host the proxy sets in host routing. */
  siteDomains: string[];
}

const unique = (names: readonly string[]): string[] => [...new Set(names)];

/** What to add to ALLOWED_HOSTS for a refused name: `.localhost` covers localhost and every name under it. */
function patternFor(name: string): string {
  const { domain } = splitDomainPort(name);
  return domain === 'localhost' || domain.endsWith('.localhost') ? '.localhost' : domain || name;
}

/** The names of `names` that Django would answer with 400 Bad Request, given what the facts say of ALLOWED_HOSTS and DEBUG. */
function refusedHosts(facts: ServingFacts, names: readonly string[], djangoMajor: number | null): string[] {
  const allowed = facts.allowedHosts;
  if (!allowed) return [];
  // An empty list means Django's DEBUG defaults, or nothing without DEBUG; with DEBUG unknown,
  // only names refused even by the defaults are certain.
  const patterns = allowed.value.length > 0 ? allowed.value : facts.debug === false ? [] : debugAllowedHosts(djangoMajor);
  return unique(names).filter((name) => !allowedHostMatches(name, patterns));
}

/**
 * The note on ALLOWED_HOSTS when Django would refuse some of `names`, the Host headers it will
 * see (`served` says whose, for people: "the names the proxy serves"); null when none is refused
 * or ALLOWED_HOSTS is not known. Hosts mode asks it of the sites' own domains.
 */
export function allowedHostsNote(facts: ServingFacts, names: readonly string[], served: string, djangoMajor: number | null): ConfigDiagnostic | null {
  const allowed = facts.allowedHosts;
  const refused = refusedHosts(facts, names, djangoMajor);
  if (!allowed || refused.length === 0) return null;
  const additions = unique(refused.map(patternFor));
  const quoted = additions.map((p) => JSON.stringify(p)).join(', ');
  const example = `ALLOWED_HOSTS = [${allowed.value.length > 0 ? '..., ' : ''}${quoted}]`;
  const setting = `ALLOWED_HOSTS (${allowed.label})`;
  const seen = `${listed(refused)} (${served})`;
  const why =
    allowed.value.length > 0
      ? `${setting} does not match ${seen}, so Django would answer ${refused.length === 1 ? 'it' : 'them'}`
      : facts.debug === false
        ? `${setting} is empty and DEBUG is False, so Django would answer every host, ${seen} among them,`
        : `${setting} is empty, which with DEBUG on allows only ${listed([...debugAllowedHosts(djangoMajor)])}, so Django would answer ${seen}`;
  return {
    severity: 'warning',
    message: `${why} with 400 Bad Request: add ${listed(additions.map((p) => `"${p}"`))} (${example}).`,
    file: allowed.file,
    line: allowed.line,
    code: 'allowed-hosts',
  };
}

/** Host routing with USE_X_FORWARDED_HOST: Django takes the `.localhost` name from X-Forwarded-Host, not the site's domain. */
function forwardedHostNote(facts: ServingFacts, hosts: ProxiedHosts, djangoMajor: number | null): ConfigDiagnostic | null {
  const forwarded = facts.useXForwardedHost;
  if (!forwarded?.value) return null;
  // A literal CSRF_TRUSTED_ORIGINS listing every site's rewritten Origin lets POSTs through; not set or not readable, it lists none.
  const trusted = facts.csrfTrustedOrigins?.value ?? [];
  const originsRefused = hosts.siteDomains.some((domain) => !originTrusted(`http://${domain}`, trusted));
  const csrf = djangoMajor !== null && djangoMajor >= 4 && originsRefused ? ' and refuse POSTs with 403 (CSRF Origin check)' : '';
  return {
    severity: 'warning',
    message:
      `USE_X_FORWARDED_HOST (${forwarded.label}) makes Django take the host from X-Forwarded-Host, the .localhost name, ` +
      `instead of the site's domain the proxy sends as Host, so it would not find the site${csrf}: ` +
      `set it to False for local work, or route by SITE_ID ("routing": "siteId" in multisite.json).`,
    file: forwarded.file,
    line: forwarded.line,
    // The doctor lists it with the check it matters most to: the 403 on POSTs where it causes one.
    code: csrf ? 'csrf-trusted-origins' : 'allowed-hosts',
  };
}

/**
 * What would make Django refuse the proxy's requests in `routing`, as notes on the settings to change.
 * `djangoMajor` is the project's Django major version, when known.
 */
export function proxyNotes(facts: ServingFacts, routing: ProxyRouting, hosts: ProxiedHosts, djangoMajor: number | null): ConfigDiagnostic[] {
  // Routed by SITE_ID (a server per site, or one marked per request), the browser's own Host reaches Django.
  const notes =
    routing !== 'host'
      ? [allowedHostsNote(facts, hosts.proxied, 'the names the proxy serves', djangoMajor)]
      : [allowedHostsNote(facts, hosts.siteDomains, 'the Host the proxy sends in host routing', djangoMajor)];
  // ALLOWED_HOSTS is checked against the site domains even while USE_X_FORWARDED_HOST is on:
  // they are what Django sees once that note is followed.
  if (routing === 'host') notes.push(forwardedHostNote(facts, hosts, djangoMajor));
  return notes.filter((note): note is ConfigDiagnostic => note !== null);
}

/** Notes made per read of the sites, by routing and Django version: a state update never computes them again. */
const made = new WeakMap<SiteConfig, Map<string, ConfigDiagnostic[]>>();

/** The notes for `config` as the proxy would serve it with `routing`. */
export function proxyNotesFor(config: SiteConfig, routing: ProxyRouting, djangoMajor: number | null): ConfigDiagnostic[] {
  const byKey = made.get(config) ?? new Map<string, ConfigDiagnostic[]>();
  made.set(config, byKey);
  const key = `${routing} ${djangoMajor}`;
  let notes = byKey.get(key);
  if (!notes) {
    const proxied = [...SiteAddresses.of(config.project.root, config.sites).hosts, '127.0.0.1'];
    const siteDomains = config.sites.map(hostFor).filter((d): d is string => d !== null);
    notes = proxyNotes(config.servingFacts, routing, { proxied, siteDomains }, djangoMajor);
    byKey.set(key, notes);
  }
  return notes;
}
