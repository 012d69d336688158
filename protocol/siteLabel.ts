/** How a site is named to people: its label, and what its id is. */
import type { Site } from './protocol';

/** The sources of the rows of frameworks where the Host picks the site (daemon/sites/frameworkSites.ts). */
export const WAGTAIL_SITES = 'Wagtail Sites';
export const TENANT_DOMAINS = 'tenant domains';

/** How a site is named to people: its name, else its slug. */
export function siteLabel(site: Site): string {
  return site.name ?? site.slug;
}

/**
 * What a site's id is, in a word or two: a SITE_ID (django.contrib.sites, django-multisite-plus,
 * the settings), or, where the request's Host picks the site, only the row's id (Wagtail's Site,
 * django-tenants' tenant): never set as SITE_ID, so not called one.
 */
export function siteIdName(site: Site): string {
  switch (site.fieldSources.id) {
    case WAGTAIL_SITES:
      return 'Wagtail Site id';
    case TENANT_DOMAINS:
      return 'tenant id';
    default:
      return 'SITE_ID';
  }
}
