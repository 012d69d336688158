/**
 * A project's sites: opening a project answers with them (and what was looked for when none
 * was found), and they are sent again when they change on disk.
 */
import { NotificationType, RequestType } from './wire';
import type { ConfigDiagnostic } from './protocol.doctor';
import type { PYTHON_ENVIRONMENT_VARIABLES, ProjectRef, ProxyRouting, SelectedInterpreter, ServingStrategy } from './protocol.project';

/**
 * Only domains that passed the one check (daemon/sites/domainGate.ts): a configured
 * text that is no domain is left out, with a diagnostic, never reinterpreted.
 */
export interface SiteDomains {
  /** The production domain as written (`real_domain`, or the rewrite format applied to the slug). */
  live: string | null;
  /** The Test server's domain as written (the rewrite format applied to the slug, or multisite.json's). */
  test: string | null;
  /** Names that hosts mode points at localhost, in ASCII (punycode). */
  local: string[];
}

export interface Site {
  id: number | null;
  slug: string;
  name: string | null;
  domains: SiteDomains;
  aliases: string[];
  /**
   * Domains django-multisite-plus writes again at each start (DJANGO_MULTISITE_PLUS_AUTO_POPULATE_SITES, up to
   * 0.7.1): edits in the admin do not last. From 0.7.2 only `multisite_plus_populate_sites` writes them: never set.
   */
  autoPopulated: boolean;
  /** Every place this site was declared: `file:line` relative to the project root, or `Sites table`. */
  sources: string[];
  /** Where each field came from: `id`, `name`, `live`, `test`, and each local domain by name. */
  fieldSources: Record<string, string>;
  /**
   * `http://<site>.<project>.localhost:<port>/`: this site through the project's local proxy, at
   * the same time as every other site. Null while the project is not served through the proxy
   * (classic restarts, hosts mode).
   */
  localhostUrl: string | null;
  /**
   * `http://127.0.0.1:<port>/`: this site at a port of its own through the proxy, whatever loopback name
   * is used (issue 25). Null while the project is not served through the proxy, or `sitePorts` is false.
   */
  portUrl: string | null;
}

/** A SITE_ID the project forces on itself (it breaks hosts mode). */
export interface ForcedSiteId {
  value: number;
  file: string;
  line: number;
}

/** What multisite.json says about the project as a whole. */
export interface ProjectOptions {
  port: number | null;
  runner: 'local' | 'compose' | null;
  sharedDatabase: string[];
  /** How many sites stay warm behind the proxy; 0 = restart the one server per switch (classic). */
  warmSites: number | null;
  /** How the proxy routes (null: chosen from what the project supports). */
  routing: ProxyRouting | null;
  /** Where the sites' own ports begin; false: none; null: as the client says (next to the project's port by default). */
  sitePorts: number | false | null;
}

/** Which settings module the project is read and run with (DJANGO_SETTINGS_MODULE), where it was named, and the others beside it. */
export interface SettingsModuleInfo {
  /** The dotted module, or null when nothing names one. */
  module: string | null;
  /**
   * Where that name came from, for people: `manage.py:8`, `.env:2`, `pyproject.toml:14`,
   * `multisite.json:3`, `--settings`, or `the multisiteLocal.settingsModule setting`.
   */
  from: string | null;
  /** The module's file, when one of the folders Python searches holds it. */
  file: string | null;
  /** The other settings modules beside it (settings/dev.py, prod.py, settings_local.py …), dotted: what may be chosen instead. */
  others: string[];
}

export interface SitesResult {
  project: ProjectRef;
  /** The settings module read and run (issue 23). */
  settings: SettingsModuleInfo;
  sites: Site[];
  diagnostics: ConfigDiagnostic[];
  forcedSiteId: ForcedSiteId | null;
  options: ProjectOptions;
  /** Whether Django was asked for the sites (trusted workspaces and the CLI only). */
  sitesTableRead: boolean;
  /** Where sites were looked for, as phrases ("Wagtail’s Sites"): what a "no sites" sentence names. */
  sitesSought: string[];
  /**
   * What was tried to find the sites (issue 23), for the Sites view and `sites` when none was found:
   * the settings module (Django's, else the one manage.py names; null when none was found), the
   * interpreter that read it (null when none was found or the project's code may not run), and the
   * multi-site frameworks Django says are installed (`name version`; null when Django was not read).
   * Text for people: client/sitesSearchText.ts.
   */
  searched: SitesSearch;
  /** How the project is served in SITE_ID mode (in the answer to an open; not in notifications). */
  routing?: ServingStrategy;
  /** Why `routing` was chosen, in a sentence's words (the project's framework, multisite.json, the mode). */
  routingReason?: string;
}

/** See SitesResult.searched. */
export interface SitesSearch {
  settingsModule: string | null;
  interpreter: string | null;
  frameworks: string[] | null;
  /**
   * Why Django's answer is missing: `untrusted` (the project's code may not run), `pending` (its read
   * is under way: a SitesChanged follows), or the failure's sentence; null when it answered.
   */
  djangoNotRead: 'untrusted' | 'pending' | { failure: string } | null;
}

export interface OpenProjectParams {
  root: string;
  /** The client's `VIRTUAL_ENV`: the daemon is shared, so it cannot use its own. */
  virtualEnv?: string | null;
  /** An interpreter chosen by the user (VS Code's Python setting). */
  pythonPath?: string | null;
  /** The interpreter selected for the folder in VS Code's Python extension: tried first. */
  selectedInterpreter?: SelectedInterpreter | null;
  /** The client's values of PYTHON_ENVIRONMENT_VARIABLES (where Poetry, Pipenv, uv, conda and PATH find Python); the daemon's own when absent. */
  pythonEnvironment?: Partial<Record<(typeof PYTHON_ENVIRONMENT_VARIABLES)[number], string>> | null;
  /**
   * The settings module the person chose (the CLI's `--settings`, the `multisiteLocal.settingsModule`
   * setting); null: none, the project's own (issue 23). Absent: as the last open said.
   */
  settingsModule?: string | null;
  /** Where the person chose it, for people ("--settings"); with `settingsModule`. */
  settingsModuleFrom?: string | null;
  /** Preferred runserver port; another free one is used when it is taken. */
  port?: number | null;
  /** How many sites stay warm behind the proxy (the client's setting; multisite.json wins); 0 = classic restarts. */
  warmSites?: number | null;
  /** Minutes after which a backend nobody used is stopped (0 = never). */
  idleMinutes?: number | null;
  /** How the proxy reaches the sites, as the person chose (the setting, `--routing`; multisite.json wins); null: the project's default. Absent: as before. */
  routing?: ProxyRouting | null;
  /** Where the sites' own ports begin (the client's setting; multisite.json wins); false: none; null: next to the project's port. Absent: as before. */
  sitePorts?: number | false | null;
  /** False in an untrusted workspace: nothing of the project is run, not even to read its Sites table. */
  trusted?: boolean;
  /**
   * Read the Sites table again (it runs the project's manage.py). Otherwise it is read on
   * the first open only, and again when the database file or migrations change.
   */
  refresh?: boolean;
  /**
   * Answer at once with the sites the files declare; what Django says (every framework's sites,
   * how the project routes) follows in a SitesChanged notification when its read lands. Without
   * it, the answer waits for that read.
   */
  sitesFirst?: boolean;
}

/** client -> daemon: read a project's sites and keep it open for this connection. */
export namespace OpenProject {
  export const method = 'project/open' as const;
  export const type = new RequestType<OpenProjectParams, SitesResult, void>(method);
}

/** daemon -> clients that opened the project: its sites changed on disk and were read again. */
export namespace SitesChanged {
  export const method = 'project/sitesChanged' as const;
  export const type = new NotificationType<SitesResult>(method);
}
