/**
 * The sites Django's answer holds (askDjango.ts), per framework, in one shape
 * siteConfig.ts merges with what the files declare:
 * - django.contrib.sites rows, with django-multisite's aliases of each;
 * - Wagtail's Sites: named by site_name, else the root page's title, else the
 *   hostname; a port other than 80 is part of where it answers;
 * - django-tenants' tenants, by schema name, with their domains (primary first).
 * Only contrib rows carry a SITE_ID: in Wagtail and django-tenants the request's
 * Host picks the site, so their rows' ids are only shown.
 */
import { TENANT_DOMAINS, WAGTAIL_SITES } from '../../protocol/siteLabel';
import type { DjangoFacts } from './djangoFacts';

export interface RowSite {
  /** The SITE_ID (contrib rows), else the row's own id (shown, never set as SITE_ID). */
  id: number;
  /** A slug to start from: a label of its domain, or the tenant's schema name. */
  slug: string;
  name: string | null;
  /** Where it answers, the live domain first; may carry a port. */
  domains: string[];
  /** Where its rows came from, as the tree shows it. */
  source: string;
}

/** django.contrib.sites' rows with their django-multisite aliases. */
export function contribSites(facts: DjangoFacts): { id: number; domain: string; name: string; aliases: string[] }[] {
  const aliases = new Map<number, string[]>();
  for (const alias of facts.sites.aliases ?? []) aliases.set(alias.siteId, [...(aliases.get(alias.siteId) ?? []), alias.domain]);
  return (facts.sites.contrib ?? []).map((row) => ({ ...row, aliases: (aliases.get(row.id) ?? []).filter((d) => d !== row.domain) }));
}

/** The sites of the frameworks whose rows are not django.contrib.sites'. */
export function otherFrameworkSites(facts: DjangoFacts): RowSite[] {
  const wagtail = (facts.sites.wagtail ?? []).map((row) => ({
    id: row.id,
    slug: row.hostname.split('.')[0] || `site-${row.id}`,
    name: row.siteName ?? row.rootTitle ?? row.hostname,
    domains: [row.port === 80 ? row.hostname : `${row.hostname}:${row.port}`],
    source: WAGTAIL_SITES,
  }));
  const tenants = (facts.sites.tenants ?? []).map((tenant) => ({
    id: tenant.id,
    slug: tenant.schema,
    name: tenant.name ?? tenant.schema,
    domains: tenant.domains,
    source: TENANT_DOMAINS,
  }));
  return [...wagtail, ...tenants];
}
