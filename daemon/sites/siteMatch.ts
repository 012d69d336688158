/**
 * Finds the site a person meant from one word: a slug, an id, a domain or a
 * name. Exact matches win over case-insensitive ones, so a slug `shop` can
 * always be chosen even when another site is named `Shop`; only two sites
 * tied at the first level that matches anything make the word ambiguous.
 * A site already chosen is found again by its slug when the sites are re-read.
 */
import { DaemonError } from '../base/daemonError';
import { DaemonErrorCode } from '../../protocol/protocol';
import type { Site, SitesResult } from '../../protocol/protocol';
import { listed, oneLine, quoted } from '../base/sentence';

export type SiteMatch = { site: Site } | { tie: Site[] } | null;

const domainsOf = (site: Site): string[] => [site.domains.live, site.domains.test, ...site.domains.local].filter((d): d is string => d !== null);

/** The levels in the order they are tried; each says whether `site` matches `q` there. */
const LEVELS: ((site: Site, q: string) => boolean)[] = [
  (site, q) => site.slug === q,
  (site, q) => site.id !== null && String(site.id) === q,
  (site, q) => domainsOf(site).includes(q),
  (site, q) => site.name === q,
  (site, q) => site.slug.toLowerCase() === q.toLowerCase(),
  (site, q) => site.name?.toLowerCase() === q.toLowerCase(),
  (site, q) => domainsOf(site).some((d) => d.toLowerCase() === q.toLowerCase()),
];

/** The one site `query` names, the sites tied for it, or null when nothing matches. */
export function matchSite(sites: readonly Site[], query: string): SiteMatch {
  const q = query.trim();
  if (q === '') return null;
  for (const level of LEVELS) {
    const found = sites.filter((site) => level(site, q));
    if (found.length === 1) return { site: found[0] };
    if (found.length > 1) return { tie: found };
  }
  return null;
}

/** The valid choices for an error message, a few of them when there are many: "a (1), b (2) and 4998 more". */
export function describeChoices(sites: readonly Site[]): string {
  return listed(sites.map((s) => `${oneLine(s.slug)} (${s.id ?? '?'})`));
}

/** One sentence for a word that names several sites equally well. */
export function describeTie(query: string, tie: readonly Site[]): string {
  const list = listed(tie.map((s) => `${oneLine(s.slug)} (id ${s.id ?? '?'}${s.name ? `, ${oneLine(s.name)}` : ''})`));
  return `${quoted(query.trim())} matches ${tie.length} sites: ${list}; use the slug or id.`;
}

/**
 * The site `query` names in `config` (slug, id, name or domain); a sentence naming the choices when
 * none or several match. The query is a person's text: shown between quotes on one line, whatever it holds.
 */
export function findSite(config: SitesResult, query: string): Site {
  const match = matchSite(config.sites, query);
  if (!match) {
    const choices = config.sites.length ? `its sites are ${describeChoices(config.sites)}` : `no site was found in ${config.sitesSought.join(', ')}`;
    throw new DaemonError(DaemonErrorCode.SiteNotFound, `No site ${quoted(query.trim())} in ${config.project.name}; ${choices}.`);
  }
  if ('tie' in match) throw new DaemonError(DaemonErrorCode.SiteNotFound, describeTie(query, match.tie));
  return match.site;
}

/** `site` as a new read of `sites` has it (its domains may have changed), or as it was when that read no longer has it. */
export function foundAgain(sites: readonly Site[], site: Site | null): Site | null {
  return site && (sites.find((s) => s.slug === site.slug) ?? site);
}
