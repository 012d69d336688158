/**
 * What this window shows about its Django projects: the projects found in the
 * workspace, and the latest sites and state the daemon reported for each. The
 * daemon owns the state; this is the window's copy of it for the views.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  CleanUp,
  DebugSite,
  GetDatabaseGroup,
  GetProjectState,
  Migrate,
  OpenProject,
  OpenSite,
  PopulateSites,
  SetMode,
  StopDebugging,
  StopServer,
  SwitchSite,
} from '../protocol/protocol';
import type {
  DebugResult,
  HostsEdit,
  MigrateResult,
  ModeResult,
  PopulateResult,
  ProjectRef,
  ProjectState,
  RoutingMode,
  SharedProject,
  Site,
  SitesResult,
  SwitchResult,
} from '../protocol/protocol';
import type { MessageConnection } from '../protocol/wire';
import { databaseGroup } from './databaseGroup';
import type { DaemonConnection } from './daemonConnection';
import { diagnosticOf, publishByFile } from './problems';
import { pythonEnvironmentOf } from '../protocol/pythonEnvironment';
import type { SelectedInterpreters } from './python/selectedInterpreters';
import { hostsFileSetting, idleMinutes, interpreterSettingFor, preferredPort, settingsModuleFor, sitePorts, warmSites } from './settings';

export interface ProjectView {
  root: string;
  name: string;
  sites: SitesResult | null;
  state: ProjectState | null;
  /** Why the project could not be read, if it could not. */
  error: string | null;
  /** The other projects on its database, as the daemon last said. */
  sharedWith: SharedProject[];
  /** False for a project shown because it shares a database with one of the workspace's. */
  inWorkspace: boolean;
}

/** How far the window follows projects sharing a database through other such projects, and how many it shows at most. */
const MAX_GROUP_DEPTH = 3;
const MAX_PROJECTS = 50;

export class ProjectRegistry implements vscode.Disposable {
  private projects = new Map<string, ProjectView>();
  /** Files each project has diagnostics on, so a re-read can clear them. */
  private diagnosedFiles = new Map<string, vscode.Uri[]>();
  private loading: Promise<void> | null = null;
  /** Counts reloads: work for an older one is dropped once a newer one started. */
  private generation = 0;
  private readonly changed = new vscode.EventEmitter<void>();
  /** A project the daemon opened for this window (each time: a replaced daemon opens it again). */
  private readonly projectOpened = new vscode.EventEmitter<ProjectRef>();
  private readonly disposables: vscode.Disposable[] = [this.changed, this.projectOpened];
  readonly onDidChange = this.changed.event;
  /** The interpreter selected in VS Code that each project was last opened with (a path, or null). */
  private readonly sentSelection = new Map<string, string | null>();
  readonly onDidOpen = this.projectOpened.event;

  constructor(
    private readonly daemon: DaemonConnection,
    private readonly diagnostics: vscode.DiagnosticCollection,
    private readonly log: vscode.LogOutputChannel,
    private readonly selections: SelectedInterpreters,
  ) {
    this.disposables.push(
      // Another interpreter selected for a folder: the project is read again with it (Django's answer too).
      selections.onDidChange(() => void this.followSelection()),
      daemon.onStateChanged((state) => this.applyState(state)),
      daemon.onSitesChanged((result) => this.applySites(result)),
      // Trust lets the daemon read the Sites table (it runs manage.py).
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.reload()),
      daemon.onReconnected(() => void this.reload()),
      daemon.onDisconnected(() => this.forgetStates()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.reload()),
      // The daemon takes these with each open: tell it at once, not at the next window.
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (['port', 'warmSites', 'sitePorts', 'idleMinutes', 'pythonPath', 'settingsModule'].some((name) => e.affectsConfiguration(`multisiteLocal.${name}`)))
          void this.reload();
      }),
    );
  }

  /** Finds the workspace's projects and reads their sites (once; later calls wait for it). */
  load(): Promise<void> {
    this.loading ??= this.findAndOpen();
    return this.loading;
  }

  /** Finds the projects again; `refresh` also has the daemon read the Sites table again (it runs manage.py). */
  reload(refresh = false): Promise<void> {
    this.loading = this.findAndOpen(refresh);
    return this.loading;
  }

  all(): ProjectView[] {
    return [...this.projects.values()];
  }

  get(root: string): ProjectView | undefined {
    return this.projects.get(root);
  }

  /** The project the status bar speaks for: the one serving or switching, else the first. */
  primary(): ProjectView | undefined {
    const all = this.all();
    return all.find((p) => p.state?.server.phase === 'starting') ?? all.find((p) => p.state?.currentSite) ?? all[0];
  }

  private async findAndOpen(refresh = false): Promise<void> {
    const generation = ++this.generation;
    const found = await vscode.workspace.findFiles('{manage.py,*/manage.py}', '**/node_modules/**', 50);
    const roots = [...new Set(found.map((uri) => path.dirname(uri.fsPath)))].sort();
    // Projects shown for sharing a database with the workspace's stay while they are looked at again (no flicker).
    const outside = this.all().filter((p) => !p.inWorkspace);
    const views = await Promise.all([...roots.map((root) => this.open(root, true, refresh)), ...outside.map((p) => this.open(p.root, false, refresh))]);
    if (generation !== this.generation) return; // a newer reload owns the registry now
    this.projects = new Map(views.map((view) => [view.root, view]));
    this.changed.fire();
    // Which projects share a database runs their Python: after the views show what is known.
    void this.lookAtGroups(
      views.filter((v) => v.inWorkspace),
      generation,
      true,
    );
  }

  /** Opens the project at `root` in the daemon: its sites and state, or why they could not be read. */
  private async open(root: string, inWorkspace: boolean, refresh: boolean): Promise<ProjectView> {
    const known = this.projects.get(root);
    const view: ProjectView = known ?? { root, name: path.basename(root), sites: null, state: null, error: null, sharedWith: [], inWorkspace };
    view.inWorkspace = inWorkspace;
    try {
      const [connection, selectedInterpreter] = await Promise.all([this.daemon.get(), this.selections.forFolder(root)]);
      this.sentSelection.set(root, selectedInterpreter?.path ?? null);
      view.sites = await connection.sendRequest(OpenProject.type, {
        root,
        virtualEnv: process.env.VIRTUAL_ENV || null,
        pythonPath: interpreterSettingFor(root),
        selectedInterpreter,
        pythonEnvironment: pythonEnvironmentOf(process.env),
        settingsModule: settingsModuleFor(root),
        settingsModuleFrom: 'the multisiteLocal.settingsModule setting',
        port: preferredPort(),
        warmSites: warmSites(),
        sitePorts: sitePorts(),
        idleMinutes: idleMinutes(),
        trusted: vscode.workspace.isTrusted,
        refresh,
        sitesFirst: true, // the tree shows the files' sites at once; Django's follow as a change
      });
      // The daemon names projects by their real path; its notifications use that name.
      view.root = view.sites.project.root;
      view.name = view.sites.project.name;
      view.state = await connection.sendRequest(GetProjectState.type, { root: view.root });
      view.error = null;
      this.projectOpened.fire(view.sites.project);
      this.publishDiagnostics(view.sites);
    } catch (error) {
      // The project's row shows why; no notification to dismiss.
      view.error = (error as Error).message;
      this.log.error(`could not read ${view.name}: ${view.error}`);
    }
    return view;
  }

  /** Reads the projects again (Django's answer too) when the interpreter selected for one of their folders is not the one it was opened with. */
  private async followSelection(): Promise<void> {
    const roots = [...this.sentSelection.keys()];
    const now = await Promise.all(roots.map((root) => this.selections.forFolder(root)));
    if (roots.some((root, i) => (now[i]?.path ?? null) !== this.sentSelection.get(root))) await this.reload(true);
  }

  /**
   * Asks the daemon which projects share the database of each of `views`, and shows those that are
   * not workspace folders too (declared in a multisite.json's `sharedDatabase`, or found by their
   * settings among the daemon's open projects), so a whole group starts and stops from one window.
   * `prune`: after a full reload, forget outside projects no group names any more.
   */
  private async lookAtGroups(views: ProjectView[], generation: number, prune = false): Promise<void> {
    let pending = views;
    for (let depth = 0; pending.length > 0 && depth < MAX_GROUP_DEPTH; depth++) {
      const changed = (await Promise.all(pending.map((view) => this.readGroup(view)))).some(Boolean);
      if (generation !== this.generation) return;
      const missing = [...new Set(pending.flatMap((v) => v.sharedWith.map((s) => s.root)))].filter((root) => !this.projects.has(root));
      pending = await Promise.all(missing.slice(0, MAX_PROJECTS - this.projects.size).map((root) => this.open(root, false, false)));
      if (generation !== this.generation) return;
      for (const view of pending) this.projects.set(view.root, view);
      // Only what changed redraws the views: a redraw under the pointer can swallow a click.
      if (changed || pending.length > 0) this.changed.fire();
    }
    if (prune) {
      const named = new Set(this.all().flatMap((p) => p.sharedWith.map((s) => s.root)));
      const gone = this.all().filter((p) => !p.inWorkspace && !named.has(p.root) && p.state?.server.phase !== 'running');
      for (const view of gone) this.projects.delete(view.root);
      if (gone.length > 0) this.changed.fire();
    }
  }

  /** Reads which projects share `view`'s database; true when that changed. */
  private async readGroup(view: ProjectView): Promise<boolean> {
    if (view.error !== null) return false;
    try {
      const connection = await this.daemon.get();
      const { sharedWith } = await connection.sendRequest(GetDatabaseGroup.type, { root: view.root });
      const changed = JSON.stringify(sharedWith) !== JSON.stringify(view.sharedWith);
      view.sharedWith = sharedWith;
      return changed;
    } catch (error) {
      this.log.warn(`could not tell which projects share the database of ${view.name}: ${(error as Error).message}`);
      return false;
    }
  }

  /** `root`'s project and every project it shares a database with, either way round and through others. */
  group(root: string): ProjectView[] {
    return databaseGroup(root, this.all()).flatMap((r) => this.projects.get(r) ?? []);
  }

  private publishDiagnostics(result: SitesResult): void {
    const root = result.project.root;
    // A diagnostic with a code is one of the doctor's findings too, and the doctor's own collection shows it.
    const uncoded = result.diagnostics.filter((d) => !d.code);
    this.diagnosedFiles.set(
      root,
      publishByFile(this.diagnostics, this.diagnosedFiles.get(root) ?? [], uncoded, (d) => diagnosticOf(d)),
    );
  }

  private applySites(result: SitesResult): void {
    const view = this.projects.get(result.project.root);
    if (!view) return;
    // A re-read that found what was there already (a touched file, a table read again) redraws nothing.
    if (JSON.stringify(view.sites) !== JSON.stringify(result)) {
      view.sites = result;
      this.publishDiagnostics(result);
      this.changed.fire();
    }
    // Its multisite.json (`sharedDatabase`) or database settings may have changed.
    void this.lookAtGroups([view], this.generation);
  }

  /** The daemon is gone, and its servers with it: no view may show a site as served until a new daemon says so. */
  private forgetStates(): void {
    for (const view of this.projects.values()) view.state = null;
    this.changed.fire();
  }

  private applyState(state: ProjectState): void {
    const view = this.projects.get(state.project.root);
    // The daemon tells the state again after each re-read of the sites: an unchanged one redraws nothing.
    if (!view || JSON.stringify(view.state) === JSON.stringify(state)) return;
    view.state = state;
    this.changed.fire();
  }

  /**
   * The connection, once the projects are open in the daemon: after a daemon death the new one
   * knows none of them until the reload that follows reopens them, and a click meanwhile must not
   * reach it first.
   */
  private async opened(): Promise<MessageConnection> {
    await this.loading;
    return this.daemon.get();
  }

  /** `confirmed`: start even though the projects sharing the database have other migrations (the schema guard asked). */
  async switchSite(root: string, site: Site, confirmed = false): Promise<SwitchResult> {
    const connection = await this.opened();
    return connection.sendRequest(SwitchSite.type, { root, site: site.slug, confirmed });
  }

  /** Makes `site` answer at its own address (without changing the current site where the proxy serves it). */
  async openSite(root: string, site: Site, confirmed = false, preview: string | null = null): Promise<SwitchResult> {
    const connection = await this.opened();
    return connection.sendRequest(OpenSite.type, { root, site: site.slug, confirmed, preview });
  }

  /** Serves `site` under debugpy (`debugpyPath`: a copy of debugpy for an interpreter without one). */
  async debugSite(root: string, site: Site, debugpyPath: string | null, confirmed = false): Promise<DebugResult> {
    const connection = await this.opened();
    return connection.sendRequest(DebugSite.type, { root, site: site.slug, debugpyPath, confirmed });
  }

  async stopDebugging(root: string): Promise<ProjectState> {
    const connection = await this.opened();
    const state = await connection.sendRequest(StopDebugging.type, { root });
    this.applyState(state);
    return state;
  }

  async setMode(root: string, mode: RoutingMode): Promise<ModeResult> {
    const connection = await this.opened();
    const result = await connection.sendRequest(SetMode.type, { root, mode, hostsFile: hostsFileSetting() });
    this.applyState(result.state);
    return result;
  }

  async cleanUp(): Promise<HostsEdit[]> {
    const connection = await this.opened();
    return connection.sendRequest(CleanUp.type, { hostsFile: hostsFileSetting() });
  }

  /** Leaves hosts mode in every project of this window that is in it (on close). */
  async leaveHostsMode(): Promise<void> {
    await Promise.all(
      this.all()
        .filter((p) => p.state?.mode === 'hosts')
        .map((p) => this.setMode(p.root, 'env')),
    );
  }

  /** Applies the project's migrations (the daemon refuses while its database group's migrations differ). */
  async migrate(root: string): Promise<MigrateResult> {
    const connection = await this.opened();
    return connection.sendRequest(Migrate.type, { root });
  }

  /** Writes the sites the settings declare into django-multisite-plus's table; the daemon then sends the sites read again. */
  async populateSites(root: string): Promise<PopulateResult> {
    const connection = await this.opened();
    return connection.sendRequest(PopulateSites.type, { root });
  }

  async stop(root: string): Promise<void> {
    const connection = await this.opened();
    this.applyState(await connection.sendRequest(StopServer.type, { root }));
  }

  /** Stops the servers this window started; used when the window closes. */
  async stopAll(): Promise<void> {
    await Promise.all(
      this.all()
        .filter((p) => p.state && p.state.server.phase !== 'stopped')
        .map((p) => this.stop(p.root)),
    );
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
