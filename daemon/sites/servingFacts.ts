/**
 * What the local proxy needs to know about a project's settings, read without
 * running them: whether the settings take SITE_ID from the environment (then
 * one runserver per site, each with its SITE_ID, can serve every site at
 * once), and the settings that decide whether Django accepts what the proxy
 * forwards: ALLOWED_HOSTS, DEBUG, USE_X_FORWARDED_HOST, CSRF_TRUSTED_ORIGINS.
 * Each comes with its file and line; what cannot be read is unknown (null),
 * never guessed, so the notes built on these facts only say what is certain.
 */
import type { readEnvSources } from './envSources';
import type { PyValue } from './python/pythonLiteral';
import type { readSettings } from './settingsModule';
import { environmentBranch } from './environmentBranch';
import { withoutComment } from './python/pythonComment';
import { booleanish, settingValues } from './settingValues';
import type { Located } from './settingValues';

/** The settings read for the proxy, besides those siteConfig reads anyway (SITE_ID among them). */
export const SERVING_SETTINGS = ['ALLOWED_HOSTS', 'DEBUG', 'USE_X_FORWARDED_HOST', 'CSRF_TRUSTED_ORIGINS'] as const;

export interface FileLine {
  file: string;
  line: number;
}

export interface ServingFacts {
  /** Where the settings read SITE_ID from the environment; null when no such read was found. */
  siteIdFromEnvironment: FileLine | null;
  /** ALLOWED_HOSTS: the settings' literal list, else the environment's ALLOWED_HOSTS; null when neither is known. */
  allowedHosts: Located<string[]> | null;
  /** Where ALLOWED_HOSTS is computed or changed in place, when that leaves it unknown (allowedHosts is then null). */
  allowedHostsComputed: FileLine | null;
  /** DEBUG as a literal (or the environment's flag where the settings do not say); null when unknown. */
  debug: boolean | null;
  /** USE_X_FORWARDED_HOST as a literal, else the environment's flag; null when unknown. */
  useXForwardedHost: Located<boolean> | null;
  /** CSRF_TRUSTED_ORIGINS as a literal list; null when not set or not readable. */
  csrfTrustedOrigins: Located<string[]> | null;
  /** The settings module's own file (where a setting that is not set would go); null when none was found. */
  settingsFile?: string | null;
  /**
   * Where the settings name a framework that picks the site by itself, so SITE_ID does not
   * (django-tenants by the tenant's domain, Wagtail by its Sites): said without running Django.
   */
  siteIdUnused?: (FileLine & { framework: string }) | null;
  /**
   * A SITE_ID literal in a branch chosen by SITE_ID in the environment (environmentBranch.ts): not
   * forced, but the value a server started without SITE_ID gets (hosts mode's, host routing's).
   */
  siteIdDefault?: (FileLine & { value: number; branchLine: number }) | null;
}

/**
 * Reads of SITE_ID from the environment, as settings spell them: `os.environ.get("SITE_ID")`,
 * `os.environ["SITE_ID"]`, `os.getenv("SITE_ID")`, django-environ's `env("SITE_ID")`,
 * `env.int("SITE_ID")`, `env.get_value("SITE_ID")`, python-decouple's `config("SITE_ID")`.
 */
const SITE_ID_READS: readonly RegExp[] = [
  /\benviron\s*(?:\.\s*get\s*\(|\[)\s*(['"])SITE_ID\1/,
  /\bgetenv\s*\(\s*(['"])SITE_ID\1/,
  /\benv(?:\s*\.\s*\w+)?\s*\(\s*(['"])SITE_ID\1/,
  /\bconfig\s*\(\s*(['"])SITE_ID\1/,
];

/** Divio's settings hand `locals()` to aldryn-addons, whose aldryn-django sets SITE_ID = env('SITE_ID', 1), DEBUG and ALLOWED_HOSTS. */
const ALDRYN_LOAD = /\baldryn_addons\s*\.\s*settings\s*\.\s*load\s*\(/;

/** A list setting changed in place after its assignment: `+=`, `|=`, `.append(`, `.extend(`, `.insert(`. */
const CHANGED_IN_PLACE = /^\s*(ALLOWED_HOSTS|CSRF_TRUSTED_ORIGINS)\s*(?:\+=|\|=|\.\s*(?:append|extend|insert)\s*\()/;

/** An app or middleware of a framework where SITE_ID does not pick the site, named in the settings: `"django_tenants"`, `"wagtail.core"`. */
const SITE_ID_UNUSED = /(['"])(django_tenants|wagtail)(?:\.[\w.]*)?\1/;
const FRAMEWORK_NAMES: Record<string, string> = { django_tenants: 'django-tenants', wagtail: 'Wagtail' };

interface LineScan {
  siteIdRead: FileLine | null;
  aldrynLoad: FileLine | null;
  /** The first in-place change of each list setting. */
  changed: Map<string, FileLine>;
  siteIdUnused: (FileLine & { framework: string }) | null;
}

/**
 * A line-by-line scan of the settings files' text, comments dropped. Its limits, accepted
 * for a scan a reader can check by eye: a string spanning lines (a docstring quoting
 * `os.environ.get("SITE_ID")`) counts as code; a read through a variable
 * (`os.environ.get(NAME)`) or a helper of the project's own is not seen; a line is not
 * known to run (it may sit in a branch that never does).
 */
function scanLines(sources: readonly { file: string; text: string }[]): LineScan {
  const scan: LineScan = { siteIdRead: null, aldrynLoad: null, changed: new Map(), siteIdUnused: null };
  for (const { file, text } of sources) {
    text.split(/\r?\n/).forEach((raw, index) => {
      const code = withoutComment(raw);
      const at = { file, line: index + 1 };
      if (!scan.siteIdRead && SITE_ID_READS.some((read) => read.test(code))) scan.siteIdRead = at;
      if (!scan.aldrynLoad && ALDRYN_LOAD.test(code)) scan.aldrynLoad = at;
      const framework = scan.siteIdUnused ? null : SITE_ID_UNUSED.exec(code);
      if (framework) scan.siteIdUnused = { ...at, framework: FRAMEWORK_NAMES[framework[2]] };
      const changed = CHANGED_IN_PLACE.exec(code);
      if (changed && !scan.changed.has(changed[1])) scan.changed.set(changed[1], at);
    });
  }
  return scan;
}

/** A literal's truth as Python's `if` sees it (Django tests these settings that way). */
function truthy(value: PyValue): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (value !== null && typeof value === 'object') return Object.keys(value).length > 0;
  return Boolean(value);
}

function stringList(value: PyValue): string[] | null {
  return Array.isArray(value) && value.every((item): item is string => typeof item === 'string') ? value : null;
}

/** A list in one environment variable: a JSON list (as aldryn writes them), or names separated by commas. */
function envList(text: string): string[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (Array.isArray(parsed)) return parsed.filter((item): item is string => typeof item === 'string');
    } catch {
      // not JSON after all: read it as commas
    }
  }
  return trimmed
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** The facts of one project, from its settings (read with SERVING_SETTINGS among the names) and its environment files. */
export function readServingFacts(
  root: string,
  settings: Awaited<ReturnType<typeof readSettings>>,
  env: Awaited<ReturnType<typeof readEnvSources>>,
): ServingFacts {
  // The texts the settings reader already read: no file is read twice.
  const scan = scanLines([...settings.sources].map(([file, text]) => ({ file, text })));
  // Silent: readSiteConfig already reports what it cannot read; these facts only feed the proxy's notes.
  const { fromSettings, fromEnv } = settingValues(root, settings, env, () => undefined);

  const assigned = (name: string): FileLine | null => {
    const found = settings.values.get(name);
    return found ? { file: found.file, line: found.assignment.line } : null;
  };
  const aldryn = scan.aldrynLoad;
  // aldryn-addons' load() overwrites what the same file assigned before it; later lines win over it.
  // Modules star-imported elsewhere are taken to win (their order around load() is not known).
  const overridden = (at: FileLine): boolean => aldryn !== null && at.file === aldryn.file && at.line < aldryn.line;
  const setByProject = (name: string): FileLine | null => {
    const at = assigned(name);
    return at && !overridden(at) ? at : null;
  };
  const envFlag = (name: string): Located<boolean> | null => {
    const found = fromEnv(name);
    const value = found ? booleanish(found.value) : null;
    return found && value !== null ? { value, file: found.file, line: found.line, label: found.label } : null;
  };

  // SITE_ID: a read the scan sees, else aldryn-django's env('SITE_ID', 1) unless a later assignment replaces it.
  const siteIdFromEnvironment = scan.siteIdRead ?? (aldryn && !setByProject('SITE_ID') ? aldryn : null);

  const hosts = ((): Pick<ServingFacts, 'allowedHosts' | 'allowedHostsComputed'> => {
    const unknown = (at: FileLine | null) => ({ allowedHosts: null, allowedHostsComputed: at });
    const changed = scan.changed.get('ALLOWED_HOSTS');
    if (changed) return unknown(changed);
    const at = setByProject('ALLOWED_HOSTS');
    // aldryn-django computes it: env('ALLOWED_HOSTS', ['localhost', '*']) plus the current site's domains.
    if (aldryn && !at) return unknown(aldryn);
    const literal = fromSettings('ALLOWED_HOSTS', true);
    if (literal) {
      const list = stringList(literal.value);
      return list ? { allowedHosts: { ...literal, value: list }, allowedHostsComputed: null } : unknown({ file: literal.file, line: literal.line });
    }
    const fromEnvironment = fromEnv('ALLOWED_HOSTS');
    if (fromEnvironment) {
      const { file, line, label } = fromEnvironment;
      return { allowedHosts: { value: envList(fromEnvironment.value), file, line, label }, allowedHostsComputed: null };
    }
    return unknown(at);
  })();

  const debug = ((): boolean | null => {
    const literal = setByProject('DEBUG') ? fromSettings('DEBUG', true) : null;
    if (literal) return truthy(literal.value);
    // aldryn-django: DEBUG = boolean_ish(env('DEBUG', False)).
    return envFlag('DEBUG')?.value ?? (aldryn && !setByProject('DEBUG') ? false : null);
  })();

  const forwardedLiteral = fromSettings('USE_X_FORWARDED_HOST', true);
  const useXForwardedHost = forwardedLiteral ? { ...forwardedLiteral, value: truthy(forwardedLiteral.value) } : envFlag('USE_X_FORWARDED_HOST');

  const originsLiteral = scan.changed.has('CSRF_TRUSTED_ORIGINS') ? null : fromSettings('CSRF_TRUSTED_ORIGINS', true);
  const origins = originsLiteral ? stringList(originsLiteral.value) : null;
  const csrfTrustedOrigins = originsLiteral && origins ? { ...originsLiteral, value: origins } : null;

  const siteIdDefault = ((): ServingFacts['siteIdDefault'] => {
    const literal = fromSettings('SITE_ID', true);
    if (!literal || typeof literal.value !== 'number') return null;
    const branchLine = environmentBranch(settings.sources.get(literal.file) ?? '', literal.line);
    return branchLine === null ? null : { value: literal.value, file: literal.file, line: literal.line, branchLine };
  })();

  return {
    siteIdFromEnvironment,
    ...hosts,
    debug,
    useXForwardedHost,
    csrfTrustedOrigins,
    settingsFile: settings.file,
    siteIdUnused: scan.siteIdUnused,
    siteIdDefault,
  };
}
