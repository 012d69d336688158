/**
 * no-sites: no site was found, so there is nothing to switch between. Says
 * where sites were looked for (sites/sitesSought.ts: the settings and env
 * files, multisite.json, and the tables of the frameworks Django says are
 * installed, or why Django was not read), and the one next step for what the
 * project has: make Django answer, the framework's own command, or the
 * setting that declares sites.
 */
import type { DoctorFinding } from '../../../protocol/protocol';
import type { DjangoRead } from '../../sites/askDjango';
import type { SiteConfig } from '../../sites/siteConfig';
import type { DoctorCheck } from '../doctorCheck';
import { problemKind } from './database';

/** The one thing to do next, as a clause. */
export function nextStep(read: DjangoRead | null): string {
  if (!read) return 'trust the workspace so that Django can be asked for its sites (multisite-local sites in a terminal always asks)';
  if (!read.ok) return 'make Django start with the settings (the django-setup finding), then refresh';
  const facts = read.facts;
  const names = new Set(facts.frameworks.map((f) => f.name));
  const notMigrated = facts.problems.some((p) => problemKind(p) === 'notMigrated');
  if (notMigrated) return "create the frameworks' tables: python manage.py migrate";
  if (names.has('django-tenants')) return 'create a tenant with its domain: python manage.py create_tenant';
  if (names.has('wagtail')) return "add a Site in Wagtail's admin (Settings › Sites), with the hostname it answers to";
  if (names.has('django-multisite-plus'))
    return 'declare the sites in DJANGO_MULTISITE_PLUS_SITES in the settings (slug → id, real_domain, name), then write them into its table: multisite-local populate';
  if (names.has('django.contrib.sites'))
    return `add the sites to the Sites table, in Django's admin (Sites) or with python manage.py shell -c "from django.contrib.sites.models import Site; Site.objects.create(domain='alpha.example', name='Alpha')"`;
  return 'declare the sites in the settings (DJANGO_MULTISITE_PLUS_SITES = {"alpha": {"id": 1, "real_domain": "alpha.example", "name": "Alpha"}}), or add "django.contrib.sites" to INSTALLED_APPS and migrate';
}

/** Why Django's tables were not read is its own finding (django-setup, interpreter): not said again here. */
const shortened = (sought: string): string => sought.replace(/^(Django’s tables \(not read): .*\)$/s, '$1)');

export function noSitesFinding(
  config: Pick<SiteConfig, 'project' | 'sitesSought'> & { servingFacts: { settingsFile?: string | null } },
  read: DjangoRead | null,
): DoctorFinding {
  return {
    code: 'no-sites',
    severity: 'error',
    message: `No site was found in ${config.project.name} (looked in ${config.sitesSought.map(shortened).join(', ')}), so there is no site to serve: ${nextStep(read)}.`,
    // Where sites are declared when nothing else holds them; the file to open for the next step.
    file: read?.ok ? (config.servingFacts.settingsFile ?? null) : null,
    line: null,
  };
}

export const noSites: DoctorCheck = {
  code: 'no-sites',
  run: async (context) => (context.config.sites.length > 0 ? [] : [noSitesFinding(context.config, await context.djangoRead())]),
};
