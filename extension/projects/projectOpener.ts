/**
 * Opens a project in the daemon with what this window knows about it: its
 * settings, the interpreter selected in VS Code for its folder, workspace
 * trust. The daemon takes these with each open, so the registry opens a
 * project again whenever one of them changes; this remembers the selection
 * each project was opened with, so a change of it can be told.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { GetProjectState, OpenProject } from '../../protocol/protocol';
import type { ProjectRef } from '../../protocol/protocol';
import { pythonEnvironmentOf } from '../../protocol/pythonEnvironment';
import type { DaemonConnection } from '../daemonConnection';
import type { SelectedInterpreters } from '../python/selectedInterpreters';
import { idleMinutes, interpreterSettingFor, preferredPort, routing, settingsModuleFor, sitePorts, warmSites } from '../settings';
import type { ProjectDiagnostics } from './projectDiagnostics';
import type { ProjectView } from './projectView';

/** The multisiteLocal settings sent with each open (below): a change of one has the registry open the projects again. */
export const OPEN_SETTINGS = ['port', 'warmSites', 'routing', 'sitePorts', 'idleMinutes', 'pythonPath', 'settingsModule'] as const;

export class ProjectOpener implements vscode.Disposable {
  /** A project the daemon opened for this window (each time: a replaced daemon opens it again). */
  private readonly projectOpened = new vscode.EventEmitter<ProjectRef>();
  readonly onDidOpen = this.projectOpened.event;
  /** The interpreter selected in VS Code that each project was last opened with (a path, or null). */
  private readonly sentSelection = new Map<string, string | null>();

  constructor(
    private readonly daemon: DaemonConnection,
    private readonly selections: SelectedInterpreters,
    private readonly diagnostics: ProjectDiagnostics,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /**
   * Opens the project at `root` in the daemon: its sites and state, or why they could not be read.
   * `known`: the view the window already has for it, updated in place.
   */
  async open(root: string, inWorkspace: boolean, refresh: boolean, known: ProjectView | undefined): Promise<ProjectView> {
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
        routing: routing(),
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
      this.diagnostics.publish(view.sites);
    } catch (error) {
      // The project's row shows why; no notification to dismiss.
      view.error = (error as Error).message;
      this.log.error(`could not read ${view.name}: ${view.error}`);
    }
    return view;
  }

  /** True when the interpreter selected for one of the opened projects' folders is not the one it was opened with. */
  async selectionChanged(): Promise<boolean> {
    const roots = [...this.sentSelection.keys()];
    const now = await Promise.all(roots.map((root) => this.selections.forFolder(root)));
    return roots.some((root, i) => (now[i]?.path ?? null) !== this.sentSelection.get(root));
  }

  dispose(): void {
    this.projectOpened.dispose();
  }
}
