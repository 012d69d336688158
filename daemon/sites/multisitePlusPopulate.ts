/**
 * How django-multisite-plus writes its sites, by the version installed (Django's
 * answer names it, askDjango.ts). Up to 0.7.1 the app wrote them itself at each
 * start while DJANGO_MULTISITE_PLUS_AUTO_POPULATE_SITES was on (the default), so
 * a domain edited in the admin was overwritten at the next deployment: the
 * product's "auto-populated" lock. From 0.7.2 the app refuses to start with that
 * setting on, and only `manage.py multisite_plus_populate_sites` (then
 * `multisite_plus_rewrite_domains` for the domains) writes them: nothing
 * overwrites an edit behind the developer's back, and a fresh database has an
 * empty table until someone runs them (Populate Sites).
 */
import { SETTING } from './multisitePlusSettings';
import type { DjangoFacts, DjangoFramework } from './djangoFacts';

/** What a deployment runs, in this order: the rows from DJANGO_MULTISITE_PLUS_SITES, then each domain for this environment. */
export const POPULATE_COMMANDS = ['multisite_plus_populate_sites', 'multisite_plus_rewrite_domains'] as const;

/** The first version that populates by command only. */
const BY_COMMAND: readonly number[] = [0, 7, 2];

/** django-multisite-plus as Django lists it, or null when it is not installed (or Django was not asked). */
export function multisitePlusOf(facts: DjangoFacts | null): DjangoFramework | null {
  return facts?.frameworks.find((f) => f.name === 'django-multisite-plus') ?? null;
}

/** Whether `version` populates only by command (>= 0.7.2); null when it is unknown or no version number. */
export function populatesByCommand(version: string | null): boolean | null {
  const match = version ? /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(version.trim()) : null;
  if (!match) return null;
  const parts = [match[1], match[2], match[3]].map((p) => Number(p ?? 0));
  for (let i = 0; i < BY_COMMAND.length; i++) if (parts[i] !== BY_COMMAND[i]) return parts[i] > BY_COMMAND[i];
  return true;
}

/**
 * Whether the sites' domains are written again at each start, as the installed version does: the
 * setting decides where the version is <= 0.7.1 or unknown (Django not asked, a version that is
 * no number); from 0.7.2 never.
 */
export function autoPopulateLock(setting: boolean, facts: DjangoFacts | null): boolean {
  const installed = multisitePlusOf(facts);
  return installed && populatesByCommand(installed.version) === true ? false : setting;
}

/**
 * Whether django-multisite-plus is installed, its table was read and is empty, and the version has the
 * populate commands (>= 0.7.2, or unknown): then Populate Sites is what fills it.
 */
export function needsPopulate(facts: DjangoFacts | null): boolean {
  const installed = multisitePlusOf(facts);
  return installed !== null && facts?.sites.multisitePlus?.length === 0 && populatesByCommand(installed.version) !== false;
}

/** What the Sites view, `sites` and the doctor say of an empty table. */
export const EMPTY_TABLE_MESSAGE =
  `django-multisite-plus's table of sites is empty: Populate Sites (\`multisite-local populate\`) writes the sites ${SETTING.sites} declares, ` +
  `as a deployment does with \`manage.py ${POPULATE_COMMANDS[0]}\` and \`manage.py ${POPULATE_COMMANDS[1]}\`.`;
