/** A DjangoRead as askDjango.ts returns it, for tests of what is made of Django's answer. */
import type { DjangoRead } from '../../daemon/sites/askDjango';
import type { DjangoFacts, DjangoSiteRows } from '../../daemon/sites/djangoFacts';

/** Django's answer holding `contrib` Sites table rows (and `more` rows of other frameworks), with default settings. */
export function djangoAnswer(contrib: { id: number; domain: string; name: string }[], more: Partial<DjangoSiteRows> = {}): DjangoRead {
  const facts: DjangoFacts = {
    version: '3.2.25',
    settingsModule: 'proj.settings',
    settings: {
      siteId: { kind: 'absent' },
      allowedHosts: ['*'],
      effectiveAllowedHosts: ['*'],
      debug: true,
      middleware: [],
      installedApps: ['django.contrib.sites'],
      csrfTrustedOrigins: [],
      useXForwardedHost: false,
      useXForwardedPort: false,
      sessionCookieDomain: null,
      multisitePlusMode: null,
      database: { engine: 'django.db.backends.sqlite3', name: '/tmp/db.sqlite3', host: '', port: '' },
    },
    frameworks: [{ name: 'django.contrib.sites', version: null }],
    sites: { contrib, aliases: null, multisitePlus: null, wagtail: null, tenants: null, ...more },
    problems: [],
    checks: [],
  };
  return { ok: true, facts };
}
