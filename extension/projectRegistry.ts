/**
 * What this window shows about its Django projects: the projects found in the
 * workspace, and the latest sites and state the daemon reported for each. The
 * daemon owns the state; this is the window's copy of it for the views.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CleanUp, GetProjectState, OpenProject, OpenSite, SetMode, StopServer, SwitchSite } from '../daemon/protocol/protocol';
import type { HostsEdit, ModeResult, ProjectState, RoutingMode, Site, SitesResult, SwitchResult } from '../daemon/protocol/protocol';
import type { DaemonConnection } from './daemonConnection';
import { diagnosticOf, publishByFile } from './problems';
import { hostsFileSetting, idleMinutes, interpreterSettingFor, preferredPort, warmSites } from './settings';

export interface ProjectView {
  root: string;
  name: string;
  sites: SitesResult | null;
  state: ProjectState | null;
  /** Why the project could not be read, if it could not. */
  error: string | null;
}

export class ProjectRegistry implements vscode.Disposable {
  private projects = new Map<string, ProjectView>();
  /** Files each project has diagnostics on, so a re-read can clear them. */
  private diagnosedFiles = new Map<string, vscode.Uri[]>();
  private loading: Promise<void> | null = null;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly daemon: DaemonConnection,
    private readonly diagnostics: vscode.DiagnosticCollection,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      daemon.onStateChanged((state) => this.applyState(state)),
      daemon.onSitesChanged((result) => this.applySites(result)),
      // Trust lets the daemon read the Sites table (it runs manage.py).
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.reload()),
      daemon.onReconnected(() => void this.reload()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.reload()),
      // The daemon takes these with each open: tell it at once, not at the next window.
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (['port', 'warmSites', 'idleMinutes', 'pythonPath'].some((name) => e.affectsConfiguration(`multisiteLocal.${name}`))) void this.reload();
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
    const found = await vscode.workspace.findFiles('{manage.py,*/manage.py}', '**/node_modules/**', 50);
    const roots = [...new Set(found.map((uri) => path.dirname(uri.fsPath)))].sort();
    const next = new Map<string, ProjectView>();
    await Promise.all(
      roots.map(async (found) => {
        const view: ProjectView = this.projects.get(found) ?? { root: found, name: path.basename(found), sites: null, state: null, error: null };
        try {
          const connection = await this.daemon.get();
          view.sites = await connection.sendRequest(OpenProject.type, {
            root: found,
            virtualEnv: process.env.VIRTUAL_ENV ?? null,
            pythonPath: interpreterSettingFor(found),
            port: preferredPort(),
            warmSites: warmSites(),
            idleMinutes: idleMinutes(),
            trusted: vscode.workspace.isTrusted,
            refresh,
          });
          // The daemon names projects by their real path; its notifications use that name.
          view.root = view.sites.project.root;
          view.name = view.sites.project.name;
          view.state = await connection.sendRequest(GetProjectState.type, { root: view.root });
          view.error = null;
          this.publishDiagnostics(view.sites);
        } catch (error) {
          // The project's row shows why; no notification to dismiss.
          view.error = (error as Error).message;
          this.log.error(`could not read ${view.name}: ${view.error}`);
        }
        next.set(view.root, view);
      }),
    );
    this.projects = next;
    this.changed.fire();
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
    view.sites = result;
    this.publishDiagnostics(result);
    this.changed.fire();
  }

  private applyState(state: ProjectState): void {
    const view = this.projects.get(state.project.root);
    if (!view) return;
    view.state = state;
    this.changed.fire();
  }

  /** `confirmed`: start even though the projects sharing the database have other migrations (the schema guard asked). */
  async switchSite(root: string, site: Site, confirmed = false): Promise<SwitchResult> {
    const connection = await this.daemon.get();
    return connection.sendRequest(SwitchSite.type, { root, site: site.slug, confirmed });
  }

  /** Makes `site` answer at its own address (without changing the current site where the proxy serves it). */
  async openSite(root: string, site: Site, confirmed = false): Promise<SwitchResult> {
    const connection = await this.daemon.get();
    return connection.sendRequest(OpenSite.type, { root, site: site.slug, confirmed });
  }

  async setMode(root: string, mode: RoutingMode): Promise<ModeResult> {
    const connection = await this.daemon.get();
    const result = await connection.sendRequest(SetMode.type, { root, mode, hostsFile: hostsFileSetting() });
    this.applyState(result.state);
    return result;
  }

  async cleanUp(): Promise<HostsEdit[]> {
    const connection = await this.daemon.get();
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

  async stop(root: string): Promise<void> {
    const connection = await this.daemon.get();
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
