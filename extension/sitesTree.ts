/** The Sites view: one row per site (grouped by project when there are several). */
import * as vscode from 'vscode';
import type { Site } from '../daemon/protocol';
import type { ProjectRegistry, ProjectView } from './projectRegistry';

export type SitesNode = { kind: 'project'; project: ProjectView } | { kind: 'site'; project: ProjectView; site: Site };

function isCurrent(project: ProjectView, site: Site): boolean {
  return project.state?.currentSite?.slug === site.slug;
}

function siteIcon(project: ProjectView, site: Site): vscode.ThemeIcon {
  if (!isCurrent(project, site)) return new vscode.ThemeIcon('globe');
  switch (project.state?.server.phase) {
    case 'starting':
      return new vscode.ThemeIcon('loading~spin');
    case 'running':
      return new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed'));
    case 'failed':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
    default:
      return new vscode.ThemeIcon('circle-large-outline');
  }
}

function siteTooltip(project: ProjectView, site: Site): vscode.MarkdownString {
  const lines = [`**${site.name ?? site.slug}** (SITE_ID ${site.id ?? '?'}, slug \`${site.slug}\`)`, ''];
  if (site.domains.live) lines.push(`- Live: \`${site.domains.live}\``);
  if (site.domains.test) lines.push(`- Test: \`${site.domains.test}\``);
  if (site.aliases.length) lines.push(`- Aliases: ${site.aliases.map((a) => `\`${a}\``).join(', ')}`);
  if (site.sources.length) lines.push('', `Declared in ${site.sources.join(', ')}`);
  if (isCurrent(project, site) && project.state?.server.url) lines.push('', `Served at ${project.state.server.url}`);
  return new vscode.MarkdownString(lines.join('\n'));
}

export class SitesTreeProvider implements vscode.TreeDataProvider<SitesNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<SitesNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly registry: ProjectRegistry) {
    this.subscription = registry.onDidChange(() => this.refresh());
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  async getChildren(node?: SitesNode): Promise<SitesNode[]> {
    if (node?.kind === 'site') return [];
    if (node?.kind === 'project') return this.sitesOf(node.project);
    await this.registry.load(); // the first look at the view connects to the daemon
    const projects = this.registry.all();
    if (projects.length === 1 && !projects[0].error) return this.sitesOf(projects[0]);
    return projects.map((project) => ({ kind: 'project', project }));
  }

  private sitesOf(project: ProjectView): SitesNode[] {
    return (project.sites?.sites ?? []).map((site) => ({ kind: 'site', project, site }));
  }

  getTreeItem(node: SitesNode): vscode.TreeItem {
    if (node.kind === 'project') {
      const item = new vscode.TreeItem(node.project.name, vscode.TreeItemCollapsibleState.Expanded);
      item.iconPath = new vscode.ThemeIcon(node.project.error ? 'warning' : 'project');
      item.description = node.project.error ?? node.project.root;
      item.contextValue = 'project';
      return item;
    }
    const { project, site } = node;
    const item = new vscode.TreeItem(site.name ?? site.slug, vscode.TreeItemCollapsibleState.None);
    item.id = `${project.root}#${site.slug}`;
    item.description = `#${site.id ?? '?'} · ${site.domains.live ?? site.slug}`;
    item.tooltip = siteTooltip(project, site);
    item.iconPath = siteIcon(project, site);
    item.contextValue = isCurrent(project, site) ? 'site.current' : 'site';
    item.command = { command: 'multisiteLocal.switchSite', title: 'Serve Site', arguments: [node] };
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
