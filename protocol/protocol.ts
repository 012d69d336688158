/**
 * The one typed contract between the daemon and its clients (the VS Code
 * extension and the CLI). JSON-RPC 2.0 over a WebSocket on 127.0.0.1.
 * Every method name lives here and nowhere else.
 */
import { NotificationType, RequestType, RequestType0 } from './wire';

/**
 * Bumped when a message changes shape; reported in the discovery file and `status`. A client
 * that finds a daemon of another protocol (or product) version replaces it once it is idle.
 */
export const PROTOCOL_VERSION = 10;

/** The runserver port used unless the user picks another (Django's own default). */
export const DEFAULT_PORT = 8000;

/** How many sites stay warm behind the local proxy unless the user says otherwise (0 = restart per switch). */
export const DEFAULT_WARM_SITES = 3;

/** Minutes after which a warm backend nobody used is stopped, unless the user says otherwise (0 = never). */
export const DEFAULT_IDLE_MINUTES = 30;

export type Severity = 'error' | 'warning' | 'info';

/** A problem found while reading a project, pinned to a file and line when known. */
export interface ConfigDiagnostic {
  severity: Severity;
  message: string;
  file: string | null;
  line: number | null;
  /** The doctor check that also reports it (`sources-disagree`, `allowed-hosts`, ...), when one does. */
  code?: DoctorCode;
}

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

/**
 * How the local proxy reaches a site: `siteId`, one warm runserver per site with its SITE_ID;
 * `host`, one server for every site, the proxy setting Host to the site's domain.
 */
export type ProxyRouting = 'siteId' | 'host';

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

export interface ProjectRef {
  root: string;
  name: string;
}

// --- The settings module (issue 23, item 1): which one the project runs with, and why. ---

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

// --- end of the settings module block ---

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

/** `env`: SITE_ID forced in the server's environment. `hosts`: the request's Host picks the site. */
export type RoutingMode = 'env' | 'hosts';

export type ServerPhase = 'stopped' | 'starting' | 'running' | 'failed';

export interface ServerState {
  phase: ServerPhase;
  pid: number | null;
  url: string | null;
  /** Why the last start failed, as a sentence a person can act on. */
  error: string | null;
}

/**
 * How the project is served in SITE_ID mode: `restart`, one runserver restarted per switch;
 * `siteId` and `host`, behind the local proxy (see ProxyRouting). Hosts mode is always `restart`.
 */
export type ServingStrategy = 'restart' | ProxyRouting;

export type BackendPhase = 'starting' | 'running' | 'failed';

/** A server behind the local proxy. */
export interface BackendState {
  /** The site it serves (its slug); null for the one Host-routed backend that serves every site. */
  site: string | null;
  /** Who it serves, for people: a site's label, or "every site". */
  label: string;
  phase: BackendPhase;
  /** Its process group (null for a compose service). */
  pid: number | null;
  /** Its own address on an internal loopback port (the proxy forwards there). */
  url: string | null;
  /** Resident memory of its whole process group, when known. */
  rssBytes: number | null;
  /** When a request or a switch last used it (ms since the epoch): the pool stops the oldest first. */
  lastUsed: number;
  /** Why it failed, with the tail of its log. */
  error: string | null;
}

export interface ProjectState {
  project: ProjectRef;
  mode: RoutingMode;
  strategy: ServingStrategy;
  /** Why `strategy` was chosen, in a sentence's words (the project's framework, multisite.json, the mode). */
  routingReason: string;
  /** The servers behind the proxy, most recently used first (empty unless `strategy` is `siteId` or `host`). */
  backends: BackendState[];
  /** The site being served, or being switched to while `server.phase` is `starting`. */
  currentSite: Site | null;
  server: ServerState;
  /** Where the current site answers: the server in SITE_ID mode, `http://<domain>[:port]/` in hosts mode. */
  siteUrl: string | null;
  /** The hosts file holding this project's entries, while it has some. */
  hostsFile: string | null;
  /** Things the person should know about the current mode (a forced SITE_ID, the port), one sentence each. */
  notes: string[];
  /** The Python that runs the project and why it was chosen; null until found (or when its code may not run). */
  interpreter: ProjectInterpreter | null;
  /** The settings module the project is run with (issue 23); null before its files were read. */
  settings: SettingsModuleInfo | null;
  /** The site served under debugpy (issue 24), while one is; null otherwise. */
  debugging: DebugState | null;
}

/** A site served under debugpy: a debugger attaches to `port` on 127.0.0.1 (DAP). */
export interface DebugState {
  /** The site's slug. */
  site: string;
  /** debugpy's port on 127.0.0.1. */
  port: number;
  /** The process group of the server it runs in. */
  pid: number | null;
}

// Which Python runs a project (issue 23): what a client says of it on open, and what the daemon chose.

/** The interpreter a person selected for the project's folder in VS Code, tried before any other. */
export interface SelectedInterpreter {
  /** The executable, or the environment's folder (a `bin/python` or `Scripts\python.exe` inside it is used). */
  path: string;
  /** Where it was selected: the Python extension (ms-python.python) or the Python Environments extension (ms-python.vscode-python-envs). */
  by: 'python' | 'pythonEnvironments';
}

/**
 * The client's variables that say where a project's Python environments live: the daemon is shared by
 * clients started from different shells, so it reads them from the open, not from its own environment.
 */
export const PYTHON_ENVIRONMENT_VARIABLES = [
  'PATH',
  'HOME',
  'VIRTUAL_ENV',
  'CONDA_PREFIX',
  'PYENV_ROOT',
  'POETRY_CACHE_DIR',
  'POETRY_CONFIG_DIR',
  'POETRY_VIRTUALENVS_PATH',
  'POETRY_VIRTUALENVS_IN_PROJECT',
  'WORKON_HOME',
  'PIPENV_CUSTOM_VENV_NAME',
  'UV_PROJECT_ENVIRONMENT',
  'XDG_CACHE_HOME',
  'XDG_CONFIG_HOME',
  'XDG_DATA_HOME',
  'LOCALAPPDATA',
  'APPDATA',
] as const;

/** The interpreter chosen for a project (in ProjectState and DoctorReport). */
export interface ProjectInterpreter {
  path: string;
  /**
   * Why this one, for people: "selected in the Python extension", ".venv", "Poetry environment",
   * "PATH (the pyenv shim /home/me/.pyenv/shims/python3 could not import Django)".
   */
  origin: string;
  /** Django's version as this interpreter imports it ("4.2.11"). */
  djangoVersion: string | null;
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

export interface ProjectParams {
  root: string;
}

export interface SwitchParams extends ProjectParams {
  /** A slug, id, name or domain. */
  site: string;
  /**
   * Start even though the projects sharing this one's database have other migrations (the schema
   * guard refused with SchemaDrift and the person confirmed). Only a start is guarded: a project
   * already serving switches freely.
   */
  confirmed?: boolean;
}

export interface OpenSiteParams extends SwitchParams {
  /** A path of the site to show in VS Code's preview: the answer then carries `preview` (null: none asked). */
  preview?: string | null;
}

/**
 * Where VS Code's preview shows a site (issue 25): the site's preview listener, whose answers a frame can
 * show and whose cookies a frame keeps, starting at its cookie check (daemon/proxy/previewFrame.ts).
 */
export interface PreviewAddresses {
  /** Under the site's `.localhost` name. */
  url: string;
  /** At 127.0.0.1: for forwarders and clients that carry no name. */
  bareUrl: string;
}

/** daemon -> clients: the preview of `site` keeps no cookie in its frame, so its login would fail there. */
export interface PreviewBlockedParams extends ProjectParams {
  site: Site;
  /** The site's address for a browser. */
  url: string;
}

export interface SwitchResult {
  site: Site;
  mode: RoutingMode;
  /** The project's address, which serves the site now (the bare proxy address, or the server's). */
  url: string;
  /** The site's own address through the proxy (`site.localhostUrl`), or null when not served through it. */
  localhostUrl: string | null;
  elapsedMs: number;
  /** Where the preview shows the site, when asked for (OpenSiteParams.preview) and it is served through the proxy; else null. */
  preview?: PreviewAddresses | null;
}

export interface DebugParams extends ProjectParams {
  /** A slug, id, name or domain. */
  site: string;
  /** A folder holding the `debugpy` package (the Python Debugger extension's copy), used when the project's interpreter has none. */
  debugpyPath?: string | null;
  /** As in SwitchParams: start despite the schema guard. */
  confirmed?: boolean;
}

export interface DebugResult {
  site: Site;
  /** Where the site answers: its own address through the proxy, else the project's. */
  url: string;
  /** debugpy's port on 127.0.0.1: attach a DAP client there. */
  debugPort: number;
  /** The process group of the server being debugged. */
  pid: number | null;
  /** Where the server's files are, for the debugger's `pathMappings` (a container's mounts); empty: at the same paths. */
  pathMappings: PathMapping[];
}

/** A folder of the client's machine and where the debugged server sees it, as debugpy's `pathMappings` take them. */
export interface PathMapping {
  localRoot: string;
  remoteRoot: string;
}

export interface SetModeParams extends ProjectParams {
  mode: RoutingMode;
  /** The hosts file to edit (default: the daemon's MULTISITE_LOCAL_HOSTS_FILE, else the OS's). */
  hostsFile?: string | null;
}

export interface ModeResult {
  state: ProjectState;
  /** Where the current site is served now, if a site is current. */
  url: string | null;
}

export interface HostsParams {
  hostsFile?: string | null;
  /** Compute and show the change without writing anything. */
  dryRun?: boolean;
}

export interface ProjectHostsParams extends HostsParams, ProjectParams {}

export interface HostsEdit {
  file: string;
  changed: boolean;
  /** Unified diff of the file (empty when unchanged). */
  diff: string;
  notes: string[];
}

export interface HostsListing {
  file: string;
  blocks: { root: string; names: string[] }[];
}

export interface DaemonInfo {
  pid: number;
  port: number;
  version: string;
  protocol: number;
}

export interface StatusResult {
  daemon: DaemonInfo;
  projects: ProjectState[];
}

/**
 * One change to the outside world that a daemon made and never undid, because it stopped
 * unexpectedly (killed, crashed), and that the next daemon's start-up recovery undid:
 * `server`, a runserver's process group stopped; `run`, another run of the project's code
 * stopped (the Sites table read, a probe, migrate); `hostsEntries`, the project's hosts block
 * removed; `hostsWrite`, a write in place of a hosts file left part way finished; `composePort`,
 * the web port mapping of a compose file put back; `composeService`, a compose web service stopped.
 */
export interface RecoveredChange {
  kind: 'server' | 'run' | 'hostsEntries' | 'hostsWrite' | 'composePort' | 'composeService';
  /** The project's folder; for `hostsWrite` the hosts file, for `composePort` the compose file. */
  path: string;
}

/** What the daemon's start-up recovery undid of a daemon that had stopped unexpectedly. */
export interface RecoveryReport {
  /** The whole of it in a sentence or two for people: "The daemon had stopped unexpectedly; its 3 servers were stopped and the hosts entries of demo removed." */
  message: string;
  undone: RecoveredChange[];
  /** What could not be undone, one sentence each (also in `message`). */
  failures: string[];
}

export interface LogLine {
  root: string;
  stream: 'stdout' | 'stderr' | 'daemon';
  text: string;
  /** The backend's site label when several servers run for the project (the proxy's warm backends). */
  source?: string | null;
  /**
   * When the daemon got it (ms since the epoch): set on every line it sends, so a line shown later
   * (RecentLogs) keeps its own time. Shown in local time, as VS Code stamps its log channels.
   */
  time?: number;
}

/** What the doctor checks; each code is one check (daemon/doctor/checks/). */
export type DoctorCode =
  | 'forced-site-id'
  | 'allowed-hosts'
  | 'csrf-trusted-origins'
  | 'port-taken'
  | 'interpreter'
  | 'docker'
  | 'hosts-file'
  | 'stale-hosts-entries'
  | 'user-hosts-lines'
  | 'sources-disagree'
  | 'shared-db-drift'
  | 'config-error'
  | 'invalid-domain'
  | 'site-port'
  | 'multisite-plus-empty'
  | 'django-setup'
  | 'database'
  | 'django-check'
  | 'no-sites';

/**
 * A remedy a client can apply in one click, because it is safe: `useEnvMode` leaves hosts mode
 * (every site at once, or SITE_ID mode, instead), `cleanUpHosts` removes every hosts block of ours (as `cleanup`),
 * `populateSites` writes the sites the settings declare into django-multisite-plus's empty table
 * (PopulateSites, as a deployment does). Opening the finding's file at its line is always offered
 * where there is one, so it is not listed here.
 */
export interface DoctorFix {
  kind: 'useEnvMode' | 'cleanUpHosts' | 'populateSites';
  /** The button's label, for people: "Leave Hosts Mode". */
  title: string;
}

/** One thing standing in the way of the project being served right, in one sentence a person can act on. */
export interface DoctorFinding {
  code: DoctorCode;
  severity: Severity;
  message: string;
  /** Where to fix it (absolute path), when one file is to blame. */
  file: string | null;
  /** 1-based line in `file`. */
  line: number | null;
  fix?: DoctorFix;
  /** shared-db-drift: the projects sharing the database (folder names), the apps and the migrations (`app.name`) they disagree on. */
  projects?: string[];
  apps?: string[];
  migrations?: string[];
}

export interface DoctorParams extends ProjectParams {
  /** The mode to check the project for (default: its current one); a client asks before changing mode. */
  mode?: RoutingMode;
  /** The hosts file hosts mode would edit (default as SetMode). */
  hostsFile?: string | null;
  /**
   * Other projects (folders) that use the same database, to compare the schema with; added to
   * those multisite.json's `sharedDatabase` lists and those found by their database settings.
   */
  sharedWith?: string[];
}

/**
 * A check that could not run, and why (Django could not be asked: the workspace is not trusted, no
 * interpreter, the read failed; or the check itself failed). Said as its own line wherever findings
 * are shown: "no problems found" is only ever said when every check ran (issue 23).
 */
export interface DoctorNotRun {
  code: DoctorCode;
  /** Why, as a sentence a person can act on. */
  reason: string;
}

export interface DoctorReport {
  project: ProjectRef;
  /** The mode the findings are about. */
  mode: RoutingMode;
  findings: DoctorFinding[];
  /** The Python that runs the project and why it was chosen; null when none was found or its code may not run. */
  interpreter?: ProjectInterpreter | null;
  /** Checks that could not run (empty when every check ran). */
  notRun: DoctorNotRun[];
}

/** client -> daemon: read a project's sites and keep it open for this connection. */
export namespace OpenProject {
  export const method = 'project/open' as const;
  export const type = new RequestType<OpenProjectParams, SitesResult, void>(method);
}

/** client -> daemon: the project's current state (mode, site, server). */
export namespace GetProjectState {
  export const method = 'project/state' as const;
  export const type = new RequestType<ProjectParams, ProjectState, void>(method);
}

/** client -> daemon: serve `site` of the project; answers once the server answers HTTP. */
export namespace SwitchSite {
  export const method = 'site/switch' as const;
  export const type = new RequestType<SwitchParams, SwitchResult, void>(method);
}

/**
 * client -> daemon: make `site` answer at its own address without changing the current site
 * (starting the proxy and its backend when needed); answers once it does. Where the project
 * is not served through the proxy (restart strategy, hosts mode) this switches to the site,
 * the only way it can answer.
 */
export namespace OpenSite {
  export const method = 'site/open' as const;
  export const type = new RequestType<OpenSiteParams, SwitchResult, void>(method);
}

/**
 * Serves the site under debugpy (its backend behind the proxy, or the one server, restarted so);
 * answers once debugpy listens (restarted per switch: once the site answers too). The other sites keep
 * serving, undebugged.
 */
export namespace DebugSite {
  export const method = 'site/debug' as const;
  export const type = new RequestType<DebugParams, DebugResult, void>(method);
}

/** Serves the debugged site as before, without debugpy. */
export namespace StopDebugging {
  export const method = 'site/stopDebugging' as const;
  export const type = new RequestType<ProjectParams, ProjectState, void>(method);
}

/** client -> daemon: route by SITE_ID (`env`) or by the request's Host through the hosts file (`hosts`). */
export namespace SetMode {
  export const method = 'project/setMode' as const;
  export const type = new RequestType<SetModeParams, ModeResult, void>(method);
}

/** client -> daemon: write the project's hosts entries (no mode change). */
export namespace ApplyHosts {
  export const method = 'hosts/apply' as const;
  export const type = new RequestType<ProjectHostsParams, HostsEdit, void>(method);
}

/** client -> daemon: remove the project's hosts entries (no mode change). */
export namespace RemoveHosts {
  export const method = 'hosts/remove' as const;
  export const type = new RequestType<ProjectHostsParams, HostsEdit, void>(method);
}

/** client -> daemon: the blocks this product has in a hosts file. */
export namespace ShowHosts {
  export const method = 'hosts/show' as const;
  export const type = new RequestType<HostsParams, HostsListing, void>(method);
}

/** client -> daemon: remove every block this product wrote (all projects) and leave hosts mode everywhere. */
export namespace CleanUp {
  export const method = 'hosts/cleanup' as const;
  export const type = new RequestType<HostsParams, HostsEdit[], void>(method);
}

/** client -> daemon: check the project (for `mode`, default its current one); changes nothing. */
export namespace RunDoctor {
  export const method = 'project/doctor' as const;
  export const type = new RequestType<DoctorParams, DoctorReport, void>(method);
}

/** Another project using the same database as the one asked about. */
export interface SharedProject extends ProjectRef {
  /** Listed under `sharedDatabase` in the project's multisite.json (else found by its database settings or named by a client). */
  declared: boolean;
}

export interface DatabaseGroup {
  project: ProjectRef;
  /** The other projects on this project's database, by path; empty when it has it to itself. */
  sharedWith: SharedProject[];
}

/** client -> daemon: the projects sharing this one's database (declared in multisite.json, or found by their settings among the open ones). */
export namespace GetDatabaseGroup {
  export const method = 'project/databaseGroup' as const;
  export const type = new RequestType<ProjectParams, DatabaseGroup, void>(method);
}

export interface MigrateResult {
  project: ProjectRef;
  /** What `manage.py migrate` printed (its last 64 KB); each line was sent as a ServerLog line too. */
  output: string;
  elapsedMs: number;
}

/**
 * client -> daemon: apply the project's migrations to its database (`manage.py migrate --noinput`, in
 * its web service for the compose runner). Refused (SchemaDrift, no confirmation possible) while the
 * projects sharing the database have other migrations: migrating then is what breaks the shared schema;
 * refused (ProjectBusy) while another run of the project's code writes its database (PopulateSites).
 */
export namespace Migrate {
  export const method = 'project/migrate' as const;
  export const type = new RequestType<ProjectParams, MigrateResult, void>(method);
}

export interface PopulateResult {
  project: ProjectRef;
  /** What the two commands printed (the last 64 KB of each); each line was sent as a ServerLog line too. */
  output: string;
  /** The rows of django-multisite-plus's table as Django was asked again afterwards; null when that read failed. */
  rows: number | null;
  elapsedMs: number;
}

/**
 * client -> daemon: write the sites the settings declare into django-multisite-plus's table as its
 * deployment does (`manage.py multisite_plus_populate_sites`, then `multisite_plus_rewrite_domains`;
 * in its web service for the compose runner), then ask Django for the sites again (clients that opened
 * the project get SitesChanged). Refused (ProjectBusy) while another run of the project's code writes
 * its database (migrate, another populate); PopulateFailed when a command fails.
 */
export namespace PopulateSites {
  export const method = 'project/populateSites' as const;
  export const type = new RequestType<ProjectParams, PopulateResult, void>(method);
}

/** client -> daemon: stop the project's server (the whole process group). */
export namespace StopServer {
  export const method = 'server/stop' as const;
  export const type = new RequestType<ProjectParams, ProjectState, void>(method);
}

/**
 * client -> daemon: the daemon and every open project.
 * Frozen wire shape (with Shutdown): a client meets daemons of other versions through these two
 * only, to tell whether one is serving (`projects[].server.phase`, `projects[].project.name`) and
 * to replace or stop it. Never change their method names or those fields; add fields only.
 */
export namespace GetStatus {
  export const method = 'daemon/status' as const;
  export const type = new RequestType0<StatusResult, void>(method);
}

/**
 * client -> daemon: what this daemon's start-up recovery undid of a daemon that had stopped
 * unexpectedly, or null when there was nothing. Told once: the first client to ask gets the report
 * (and shows it to its person), every later one null. Clients ask on connecting; an older daemon
 * without this message answers MethodNotFound, which means the same as null.
 */
export namespace TakeRecoveryReport {
  export const method = 'daemon/takeRecoveryReport' as const;
  export const type = new RequestType0<RecoveryReport | null, void>(method);
}

/** client -> daemon: stop every server, clean up and exit. Frozen wire shape (see GetStatus): no params, null result. */
export namespace Shutdown {
  export const method = 'daemon/shutdown' as const;
  export const type = new RequestType0<void, void>(method);
}

/** daemon -> clients that opened the project: its state changed. */
export namespace ProjectStateChanged {
  export const method = 'project/stateChanged' as const;
  export const type = new NotificationType<ProjectState>(method);
}

/** daemon -> clients that opened the project: its sites changed on disk and were read again. */
export namespace SitesChanged {
  export const method = 'project/sitesChanged' as const;
  export const type = new NotificationType<SitesResult>(method);
}

/** daemon -> clients that opened the project: a site's preview cannot keep its login (PreviewBlockedParams). */
export namespace PreviewBlocked {
  export const method = 'site/previewBlocked' as const;
  export const type = new NotificationType<PreviewBlockedParams>(method);
}

/**
 * client -> daemon: the project's recent log lines (at most 500, oldest first; daemon/session/logRing.ts), for
 * a window that opens a project the daemon already serves: its log then starts with what was said
 * before. Lines that arrive after the answer come as ServerLog notifications; the client drops
 * those the answer already held (by `time` and text).
 */
export namespace RecentLogs {
  export const method = 'project/recentLogs' as const;
  export const type = new RequestType<ProjectParams, LogLine[], void>(method);
}

/** daemon -> clients that opened the project: a line of the server's output. */
export namespace ServerLog {
  export const method = 'server/log' as const;
  export const type = new NotificationType<LogLine>(method);
}

/** Application error codes carried by JSON-RPC errors (outside the reserved range). */
export const DaemonErrorCode = {
  BadRequest: 4000,
  ProjectNotFound: 4001,
  SiteNotFound: 4002,
  NoInterpreter: 4003,
  ServerFailed: 4004,
  /** A newer switch replaced this one before its server answered. */
  Superseded: 4005,
  HostsNotWritable: 4006,
  /** The daemon is shutting down (`daemon stop`, idle exit, a signal): the request was cancelled. */
  ShuttingDown: 4007,
  /** The projects sharing this one's database have other migrations: starting needs `confirmed`. */
  SchemaDrift: 4008,
  /** `manage.py migrate` failed; the message ends with its last line. */
  MigrateFailed: 4009,
  /**
   * The project's config has an error (settings Python refuses, JSON that does not parse, two sites
   * with one id) or, for hosts entries, a domain that is no domain: nothing was changed.
   */
  ConfigInvalid: 4010,
  /** Another run of the project's code writes its database now (migrate, Populate Sites): try again once it ended. */
  ProjectBusy: 4011,
  /** A populate command (`multisite_plus_populate_sites`, `multisite_plus_rewrite_domains`) failed; the message ends with its last line. */
  PopulateFailed: 4012,
  /** Debug Site: neither the project's interpreter nor the client's copy has debugpy; the message says how to install it. */
  NoDebugpy: 4013,
} as const;
export type DaemonErrorCode = (typeof DaemonErrorCode)[keyof typeof DaemonErrorCode];
