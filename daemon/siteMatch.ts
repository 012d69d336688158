import type { Site } from './protocol';

/**
 * Finds the site a person meant: by slug, id, name or any of its domains
 * (case-insensitive). Returns null when nothing or more than one site matches.
 */
export function matchSite(sites: readonly Site[], query: string): Site | null {
  const q = query.trim().toLowerCase();
  if (q === '') return null;
  const exact = (site: Site): boolean =>
    site.slug.toLowerCase() === q ||
    String(site.id) === q ||
    site.name?.toLowerCase() === q ||
    [site.domains.live, site.domains.test, ...site.domains.local].some((d) => d?.toLowerCase() === q);
  const matches = sites.filter(exact);
  return matches.length === 1 ? matches[0] : null;
}

/** A short list of valid choices for an error message. */
export function describeChoices(sites: readonly Site[]): string {
  return sites.map((s) => `${s.slug} (${s.id ?? '?'})`).join(', ');
}
