/**
 * Where a project's sites were looked for, for the sentence that says none
 * was found: the settings and env files and multisite.json always, and the
 * tables of the frameworks Django says are installed (the Sites table,
 * django-multisite-plus's, Wagtail's Sites, the tenants' domains), or why
 * Django's tables were not read. So "no sites" names what applies to the
 * project, not only DJANGO_MULTISITE_PLUS_SITES. Also what else was tried
 * (sitesSearch): the settings module, the interpreter, the frameworks.
 */
import type { SitesSearch } from '../../protocol/protocol';
import type { DjangoRead } from './askDjango';

const TABLES: Record<string, string> = {
  'django.contrib.sites': 'the Sites table (django.contrib.sites)',
  'django-multisite-plus': 'django-multisite-plus’s sites',
  wagtail: 'Wagtail’s Sites',
  'django-tenants': 'the tenants’ domains (django-tenants)',
};

export function sitesSought(django: DjangoRead | null): string[] {
  const files = ['DJANGO_MULTISITE_PLUS_SITES in the settings and env files', 'multisite.json'];
  if (!django) return [...files, 'Django’s tables (not read: the workspace is not trusted)'];
  if (!django.ok) return [...files, `Django’s tables (not read: ${django.reason})`];
  const tables = django.facts.frameworks.flatMap((f) => (TABLES[f.name] ? [TABLES[f.name]] : []));
  return [...files, ...(tables.length ? tables : ['Django (no multi-site framework installed: no Sites table, no Wagtail, no tenants)'])];
}

/**
 * The settings module (Django's, else `located`: the one found in the project's files), `interpreter`, and
 * the frameworks Django reported; `trusted`: the project's code may run (so a missing answer is one still coming).
 */
export function sitesSearch(located: string | null, django: DjangoRead | null, trusted: boolean, interpreter: string | null): SitesSearch {
  const settingsModule = (django?.ok ? django.facts.settingsModule : null) ?? located;
  return {
    settingsModule,
    interpreter,
    frameworks: django?.ok ? django.facts.frameworks.map((f) => (f.version ? `${f.name} ${f.version}` : f.name)) : null,
    djangoNotRead: !django ? (trusted ? 'pending' : 'untrusted') : django.ok ? null : { failure: django.reason },
  };
}
