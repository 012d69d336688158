/**
 * What this window shows about its Django projects: the projects found in the
 * workspace, and the latest sites and state the daemon reported for each. The
 * daemon owns the state; this is the window's copy of it for the views, and the
 * one object the rest of the extension asks to act on a project. Finding,
 * opening, following database groups and publishing problems are each in a
 * file of their own beside it.
 */
import * as vscode from 'vscode';
import { CleanUp, DebugSite, Migrate, OpenSite, PopulateSites, SetMode, StartServer, StopDebugging, StopServer, SwitchSite } from '../../protocol/protocol';
import type {
  DebugResult,
  HostsEdit,
  MigrateResult,
  ModeResult,
  PopulateResult,
  ProjectRef,
  ProjectState,
  RoutingMode,
  Site,
  SitesResult,
  SwitchResult,
} from '../../protocol/protocol';
import type { MessageConnection } from '../../protocol/wire';
import type { DaemonConnection } from '../daemonConnection';
import type { SelectedInterpreters } from '../python/selectedInterpreters';
import { hostsFileSetting } from '../settings';
import { databaseGroup } from './databaseGroup';
import { DatabaseGroupCrawler } from './databaseGroupCrawler';
import { ProjectDiagnostics } from './projectDiagnostics';
import { OPEN_SETTINGS, ProjectOpener } from './projectOpener';
import type { ProjectView } from './projectView';
import { findWorkspaceProjectRoots } from './workspaceProjectRoots';

// The views' type is part of what the registry offers: callers import it from here.
export type { ProjectView } from './projectView';

export class ProjectRegistry implements vscode.Disposable {
  private projects = new Map<string, ProjectView>();
  private loading: Promise<void> | null = null;
  /** Counts reloads: work for an older one is dropped once a newer one started. */
  private generation = 0;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private readonly projectDiagnostics: ProjectDiagnostics;
  private readonly opener: ProjectOpener;
  private readonly groups: DatabaseGroupCrawler;
  readonly onDidChange = this.changed.event;
  /** A project the daemon opened for this window (each time: a replaced daemon opens it again). */
  readonly onDidOpen: vscode.Event<ProjectRef>;

  constructor(
    private readonly daemon: DaemonConnection,
    diagnostics: vscode.DiagnosticCollection,
    log: vscode.LogOutputChannel,
    selections: SelectedInterpreters,
  ) {
    this.projectDiagnostics = new ProjectDiagnostics(diagnostics);
    this.opener = new ProjectOpener(daemon, selections, this.projectDiagnostics, log);
    this.onDidOpen = this.opener.onDidOpen;
    this.groups = new DatabaseGroupCrawler(daemon, log, {
      projects: () => this.projects,
      generation: () => this.generation,
      openOutside: (root) => this.open(root, false, false),
      changed: () => this.changed.fire(),
    });
    this.disposables.push(
      this.opener,
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
        if (OPEN_SETTINGS.some((name) => e.affectsConfiguration(`multisiteLocal.${name}`))) void this.reload();
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
    const roots = await findWorkspaceProjectRoots();
    // Projects shown for sharing a database with the workspace's stay while they are looked at again (no flicker).
    const outside = this.all().filter((p) => !p.inWorkspace);
    const views = await Promise.all([...roots.map((root) => this.open(root, true, refresh)), ...outside.map((p) => this.open(p.root, false, refresh))]);
    if (generation !== this.generation) return; // a newer reload owns the registry now
    this.projects = new Map(views.map((view) => [view.root, view]));
    this.changed.fire();
    // Which projects share a database runs their Python: after the views show what is known.
    void this.groups.crawl(
      views.filter((v) => v.inWorkspace),
      generation,
      true,
    );
  }

  /** Opens the project at `root` in the daemon: its sites and state, or why they could not be read. */
  private open(root: string, inWorkspace: boolean, refresh: boolean): Promise<ProjectView> {
    return this.opener.open(root, inWorkspace, refresh, this.projects.get(root));
  }

  /** Reads the projects again (Django's answer too) when the interpreter selected for one of their folders is not the one it was opened with. */
  private async followSelection(): Promise<void> {
    if (await this.opener.selectionChanged()) await this.reload(true);
  }

  /** `root`'s project and every project it shares a database with, either way round and through others. */
  group(root: string): ProjectView[] {
    return databaseGroup(root, this.all()).flatMap((r) => this.projects.get(r) ?? []);
  }

  private applySites(result: SitesResult): void {
    const view = this.projects.get(result.project.root);
    if (!view) return;
    // A re-read that found what was there already (a touched file, a table read again) redraws nothing.
    if (JSON.stringify(view.sites) !== JSON.stringify(result)) {
      view.sites = result;
      this.projectDiagnostics.publish(result);
      this.changed.fire();
    }
    // Its multisite.json (`sharedDatabase`) or database settings may have changed.
    void this.groups.crawl([view], this.generation);
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

  /** Serves the project's current site, else its first (the daemon chooses); a restart stops it first, in the same request. */
  async start(root: string, restart: boolean, confirmed = false): Promise<SwitchResult> {
    const connection = await this.opened();
    return connection.sendRequest(StartServer.type, { root, restart, confirmed });
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
