/**
 * What picks a project's site for a request, as Django's answer shows it
 * (askDjango.ts): the frameworks that pick it by the request's Host, and the
 * one layout where each process serves the site of its SITE_ID. Null where
 * Django was not asked or says neither: the settings read statically decide.
 */
import type { DjangoFacts } from './djangoFacts';

/** Middleware that picks the site by Host: django-multisite's, and django-multisite-plus's single-process one over it. */
const DYNAMIC_SITE_MIDDLEWARE: Record<string, string> = {
  'multisite.middleware.DynamicSiteMiddleware': 'django-multisite’s DynamicSiteMiddleware',
  'django_multisite_plus.middlewares.DynamicSiteMiddleware': 'django-multisite-plus’s DynamicSiteMiddleware (single-process mode)',
};

/** Why the request's Host picks the site, or null. */
export function hostPicks(facts: DjangoFacts | null): string | null {
  if (!facts) return null;
  const { settings } = facts;
  const names = new Set(facts.frameworks.map((f) => f.name));
  if (names.has('django-tenants')) return 'django-tenants picks the tenant by the request’s Host: one server, the proxy sends each tenant’s domain';
  if (names.has('wagtail') && facts.sites.wagtail?.length)
    return 'Wagtail picks the site by the request’s Host and port: one server, the proxy sends each site’s hostname';
  const middleware = settings.middleware.find((m) => m in DYNAMIC_SITE_MIDDLEWARE);
  if (middleware)
    return `${DYNAMIC_SITE_MIDDLEWARE[middleware]} picks the site by the request’s Host (SITE_ID is only its default): one server, the proxy sends each site’s domain`;
  return null;
}

/** Frameworks where SITE_ID does not pick the site a request gets, whatever it is set to. */
const SITE_ID_UNUSED = new Set(['django-tenants', 'wagtail']);

/**
 * Whether SITE_ID picks nothing in the project (django-tenants' `SITE_ID = 1` serves contrib.sites only;
 * Wagtail ignores it): as Django says, else as the settings name those apps (`namedInSettings`).
 */
export function siteIdPicksNothing(facts: DjangoFacts | null, namedInSettings: boolean): boolean {
  if (facts) return facts.frameworks.some((f) => SITE_ID_UNUSED.has(f.name));
  return namedInSettings;
}

/** Why each process serves the site of its own SITE_ID, or null. */
export function processPicks(facts: DjangoFacts | null): string | null {
  if (facts?.settings.multisitePlusMode === 'multi-process')
    return 'DJANGO_MULTISITE_PLUS_MODE is multi-process (each process serves the SITE_ID in its environment)';
  return null;
}
