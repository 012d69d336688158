/**
 * What every part of the contract names: a project, where a problem is, the defaults, the
 * interpreter that runs a project, and the server's log lines.
 */
import { NotificationType, RequestType } from './wire';

/** The runserver port used unless the user picks another (Django's own default). */
export const DEFAULT_PORT = 8000;

/** How many sites stay warm behind the local proxy unless the user says otherwise (0 = restart per switch). */
export const DEFAULT_WARM_SITES = 3;

/** Minutes after which a warm backend nobody used is stopped, unless the user says otherwise (0 = never). */
export const DEFAULT_IDLE_MINUTES = 30;

export interface ProjectRef {
  root: string;
  name: string;
}

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

export interface ProjectParams {
  root: string;
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

/**
 * How the local proxy reaches a site: `siteIdPerRequest`, one runserver for every site, each
 * request served with its site's SITE_ID (the proxy marks it; daemon/runners/perRequestSites.ts);
 * `siteId`, one warm runserver per site with its SITE_ID; `host`, one server for every site, the
 * proxy setting Host to the site's domain.
 */
export type ProxyRouting = 'siteIdPerRequest' | 'siteId' | 'host';

/** Every ProxyRouting, as multisite.json, the setting and `--routing` accept them. */
export const PROXY_ROUTINGS: readonly ProxyRouting[] = ['siteIdPerRequest', 'siteId', 'host'];

/** `env`: SITE_ID forced in the server's environment. `hosts`: the request's Host picks the site. */
export type RoutingMode = 'env' | 'hosts';

/**
 * How the project is served in SITE_ID mode: `restart`, one runserver restarted per switch;
 * `siteIdPerRequest`, `siteId` and `host`, behind the local proxy (see ProxyRouting). Hosts mode is always `restart`.
 */
export type ServingStrategy = 'restart' | ProxyRouting;
