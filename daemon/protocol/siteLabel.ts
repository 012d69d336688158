import type { Site } from './protocol';

/** How a site is named to people: its name, else its slug. */
export function siteLabel(site: Site): string {
  return site.name ?? site.slug;
}
