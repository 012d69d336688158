/**
 * The Sites view: project -> sites -> each site's address and domains. The
 * view's description names the mode; context keys choose its title actions
 * and its welcome content (no Django project); its message says when a
 * project's django-multisite-plus table is empty (the project's row then
 * offers Populate Sites) or when no site was found in a project (its row then
 * lists what was tried and the next step).
 */
import * as vscode from 'vscode';
import type { ProjectRegistry, ProjectView } from '../projects/projectRegistry';
import { modeLabel } from '../servingText';
import { windowAddresses } from '../browser/windowAddresses';
import { ROW_CLICK, clickOf, rowId, treeItemOf } from './siteItems';
import { childrenOf, needsPopulate, nothingFoundIn, sitesOf } from './sitesNodes';
import { StableRows } from './stableRows';
import { treeItemLook } from './treeItemLook';
import type { SitesNode } from './sitesNodes';

/** How long a click waits for its row to be known again after a redraw (a round trip to the workbench). */
const CLICK_WAIT_MS = 3000;

/** A project is listed once it was read, or failed to be: with its sites, or with what was tried. */
function shown(project: ProjectView): boolean {
  return project.sites !== null || project.error !== null;
}

export class SitesTreeProvider implements vscode.TreeDataProvider<SitesNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<SitesNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<SitesNode>;
  private readonly subscriptions: vscode.Disposable[];
  private readonly rows = new StableRows<SitesNode>({
    idOf: rowId,
    lookOf: (node) => treeItemLook(treeItemOf(node)),
    childrenOf: (node) => this.childrenNow(node),
  });

  constructor(private readonly registry: ProjectRegistry) {
    this.view = vscode.window.createTreeView('multisiteLocal.sites', { treeDataProvider: this, showCollapseAll: false });
    this.subscriptions = [
      this.view,
      registry.onDidChange(() => this.refresh()),
      // A port's forward became known: the addresses shown may read differently.
      windowAddresses.onDidChange(() => this.refresh()),
      vscode.commands.registerCommand(ROW_CLICK, () => this.runClick()),
    ];
  }

  /** Runs what a click on the selected row runs (siteItems.ts ROW_CLICK). */
  private async runClick(): Promise<unknown> {
    const node = await this.clickedRow();
    const click = node && clickOf(node);
    return click && vscode.commands.executeCommand(click.command, ...((click.arguments ?? []) as unknown[]));
  }

  /**
   * The row just clicked: the view's selection, which the workbench sets before it runs the click.
   * While the row or one above it is being redrawn the extension host does not know the row until
   * the workbench asks for it again, moments later, by the same id (the same node, stableRows.ts).
   */
  private async clickedRow(): Promise<SitesNode | undefined> {
    const deadline = Date.now() + CLICK_WAIT_MS;
    let [node] = this.view.selection;
    while (!node && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      [node] = this.view.selection;
    }
    return node;
  }

  /** Redraws what looks different now, and nothing else: a redrawn row loses a click landing meanwhile. */
  refresh(): void {
    this.describe();
    const redraw = this.rows.changes();
    if (redraw === undefined || redraw.length > 0) this.changed.fire(redraw);
  }

  /** The mode in the view's title, and the context keys the title actions and welcome content read. */
  private describe(): void {
    const projects = this.registry.all();
    const modes = [...new Set(projects.map((p) => modeLabel(p.state)))];
    this.view.description = modes.length === 1 ? modes[0] : undefined;
    const found = projects.length === 0 ? 'none' : projects.some(shown) ? 'sites' : 'reading';
    const empty = projects.filter(needsPopulate).map((p) => p.name);
    const nothing = projects.filter(nothingFoundIn).map((p) => p.name);
    // Shown above the rows; with no project at all the welcome content says it, with a button.
    this.view.message = nothing.length
      ? `No site was found in ${nothing.join(', ')}: what was tried is listed under the project, with the next step.`
      : empty.length
        ? `django-multisite-plus's table of sites is empty in ${empty.join(', ')}: Populate Sites on the project's row writes the sites its settings declare.`
        : undefined;
    const context: Record<string, unknown> = {
      found,
      populate: empty.length > 0,
      hostsMode: projects.some((p) => p.state?.mode === 'hosts'),
      serving: projects.some((p) => p.state && p.state.server.phase !== 'stopped'),
      multipleProjects: projects.length > 1,
    };
    for (const [key, value] of Object.entries(context)) void vscode.commands.executeCommand('setContext', `multisiteLocal.${key}`, value);
  }

  async getChildren(node?: SitesNode): Promise<SitesNode[]> {
    if (!node) await this.registry.load(); // the first look at the view connects to the daemon
    return this.rows.children(node);
  }

  /** `node`'s children in the registry as it is now. */
  private childrenNow(node: SitesNode | undefined): SitesNode[] {
    if (node?.kind === 'site') return childrenOf(node.project, node.site);
    if (node?.kind === 'project') return sitesOf(node.project);
    if (node) return [];
    const projects = this.registry.all();
    // Nothing read yet: an empty tree (with no project at all, the welcome content explains).
    if (!projects.some(shown)) return [];
    return projects.map((project) => ({
      kind: 'project',
      project,
      sharing: this.registry
        .group(project.root)
        .filter((p) => p !== project)
        .map((p) => p.name),
    }));
  }

  getTreeItem(node: SitesNode): vscode.TreeItem {
    const item = treeItemOf(node);
    this.rows.drawn(node, treeItemLook(item));
    return item;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
