/**
 * Serving a project: its state, switching and opening sites, the preview, debugging a site,
 * the routing mode and stopping the server.
 */
import { NotificationType, RequestType } from './wire';
import type { ProjectInterpreter, ProjectParams, ProjectRef, RoutingMode, ServingStrategy } from './protocol.project';
import type { SettingsModuleInfo, Site } from './protocol.sites';

export type ServerPhase = 'stopped' | 'starting' | 'running' | 'failed';

export interface ServerState {
  phase: ServerPhase;
  pid: number | null;
  url: string | null;
  /** Why the last start failed, as a sentence a person can act on. */
  error: string | null;
}

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
  /** The servers behind the proxy, most recently used first (empty while `strategy` is `restart`). */
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

/** What a start serves: `site` when named, else the current site, else the first. */
export interface StartParams extends ProjectParams {
  /** A slug, id, name or domain; null or absent: the current site, else the first. */
  site?: string | null;
  /** Stop whatever serves the project first, in the same request (a restart). */
  restart?: boolean;
  /** As SwitchParams.confirmed. */
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

/**
 * client -> daemon: serve the project without naming a site, or naming one (`start`, `restart`, Start
 * Project): answers as SwitchSite once the site answers. A restart stops the server first, in one round trip.
 */
export namespace StartServer {
  export const method = 'server/start' as const;
  export const type = new RequestType<StartParams, SwitchResult, void>(method);
}

/** client -> daemon: stop the project's server (the whole process group). */
export namespace StopServer {
  export const method = 'server/stop' as const;
  export const type = new RequestType<ProjectParams, ProjectState, void>(method);
}

/** daemon -> clients that opened the project: its state changed. */
export namespace ProjectStateChanged {
  export const method = 'project/stateChanged' as const;
  export const type = new NotificationType<ProjectState>(method);
}

/** daemon -> clients that opened the project: a site's preview cannot keep its login (PreviewBlockedParams). */
export namespace PreviewBlocked {
  export const method = 'site/previewBlocked' as const;
  export const type = new NotificationType<PreviewBlockedParams>(method);
}
