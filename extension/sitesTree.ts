/**
 * The Sites view: one row per site (grouped by project when there are
 * several); a site expands to its Live, Test and local domains and where each
 * was declared.
 */
import * as vscode from 'vscode';
import type { BackendState, Site } from '../daemon/protocol/protocol';
import type { ProjectRegistry, ProjectView } from './projectRegistry';
import { siteLabel } from '../daemon/protocol/siteLabel';

export type DomainRole = 'live' | 'test' | 'local';

export type SitesNode =
  | { kind: 'project'; project: ProjectView }
  | { kind: 'site'; project: ProjectView; site: Site }
  | { kind: 'address'; project: ProjectView; site: Site; url: string }
  | { kind: 'domain'; project: ProjectView; site: Site; role: DomainRole; domain: string; source: string | null }
  | { kind: 'detail'; project: ProjectView; site: Site; label: string; value: string; source: string | null };

const ROLE_LABEL: Record<DomainRole, string> = { live: 'Live', test: 'Test', local: 'Local' };

export const AUTO_POPULATED_NOTE =
  'Auto-populated (DJANGO_MULTISITE_PLUS_AUTO_POPULATE_SITES is on): edits to these domains in the admin at Sites > Sites are overwritten at the next deployment. Change DJANGO_MULTISITE_PLUS_SITES instead.';

function isCurrent(project: ProjectView, site: Site): boolean {
  return project.state?.currentSite?.slug === site.slug;
}

/** The warm backend serving `site` behind the proxy (the one Host-routed backend serves every site). */
function backendOf(project: ProjectView, site: Site): BackendState | undefined {
  return project.state?.backends.find((b) => b.site === site.slug || b.site === null);
}

function siteIcon(project: ProjectView, site: Site): vscode.ThemeIcon {
  if (!isCurrent(project, site)) {
    // A site with a warm server of its own answers at once: show it.
    const backend = project.state?.strategy === 'siteId' ? backendOf(project, site) : undefined;
    if (backend?.phase === 'running') return new vscode.ThemeIcon('vm-running', new vscode.ThemeColor('testing.iconPassed'));
    if (backend?.phase === 'starting') return new vscode.ThemeIcon('loading~spin');
    if (backend?.phase === 'failed') return new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
    return new vscode.ThemeIcon('globe');
  }
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

function describeBackend(backend: BackendState): string {
  const memory = backend.rssBytes === null ? '' : `, ${Math.round(backend.rssBytes / (1 << 20))} MB`;
  const who = backend.site === null ? 'one server for every site' : 'its own server';
  return `${who}: ${backend.phase}${backend.pid ? ` (pid ${backend.pid}${memory})` : ''}${backend.error ? `. ${backend.error}` : ''}`;
}

function siteTooltip(project: ProjectView, site: Site): vscode.MarkdownString {
  const lines = [`**${siteLabel(site)}** (SITE_ID ${site.id ?? '?'}, slug \`${site.slug}\`)`, ''];
  if (site.localhostUrl) lines.push(`- Here: ${site.localhostUrl}`);
  if (site.domains.live) lines.push(`- Live: \`${site.domains.live}\``);
  if (site.domains.test) lines.push(`- Test: \`${site.domains.test}\``);
  if (site.domains.local.length) lines.push(`- Local: ${site.domains.local.map((d) => `\`${d}\``).join(', ')}`);
  if (site.sources.length) lines.push('', `Declared in ${site.sources.join(', ')}`);
  if (site.autoPopulated) lines.push('', `$(lock) ${AUTO_POPULATED_NOTE}`);
  if (isCurrent(project, site) && project.state?.server.url) lines.push('', `Served at ${project.state.server.url}`);
  const backend = backendOf(project, site);
  if (backend) lines.push('', `Warm behind the local proxy, ${describeBackend(backend)}`);
  return new vscode.MarkdownString(lines.join('\n'), true);
}

/** `path/to/file.py:12` relative to the project -> a command that opens it at that line. */
function openSourceCommand(project: ProjectView, source: string | null): vscode.Command | undefined {
  const match = source ? /^(.+):(\d+)/.exec(source) : null;
  if (!match) return undefined;
  const line = Number(match[2]) - 1;
  return {
    command: 'vscode.open',
    title: 'Open Declaration',
    arguments: [vscode.Uri.joinPath(vscode.Uri.file(project.root), match[1]), { selection: new vscode.Range(line, 0, line, 0) }],
  };
}

function childrenOf(project: ProjectView, site: Site): SitesNode[] {
  const domains: SitesNode[] = [];
  const domain = (role: DomainRole, name: string | null, source: string | null): void => {
    if (name) domains.push({ kind: 'domain', project, site, role, domain: name, source });
  };
  domain('live', site.domains.live, site.fieldSources.live ?? null);
  domain('test', site.domains.test, site.fieldSources.test ?? null);
  for (const local of site.domains.local) {
    if (local !== site.domains.live) domain('local', local, site.fieldSources[local] ?? null);
  }
  const detail = (label: string, value: string, source: string | null): SitesNode => ({ kind: 'detail', project, site, label, value, source });
  const address: SitesNode[] = site.localhostUrl ? [{ kind: 'address', project, site, url: site.localhostUrl }] : [];
  return [
    ...address,
    ...domains,
    detail('ID', String(site.id ?? '?'), site.fieldSources.id ?? null),
    detail('Slug', site.slug, null),
    ...site.sources.map((source) => detail('Source', source, source)),
  ];
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
    if (node?.kind === 'domain' || node?.kind === 'detail' || node?.kind === 'address') return [];
    if (node?.kind === 'site') return childrenOf(node.project, node.site);
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
    switch (node.kind) {
      case 'project': {
        const item = new vscode.TreeItem(node.project.name, vscode.TreeItemCollapsibleState.Expanded);
        item.iconPath = new vscode.ThemeIcon(node.project.error ? 'warning' : 'project');
        item.description = node.project.error ?? node.project.root;
        item.contextValue = 'project';
        return item;
      }
      case 'site': {
        const { project, site } = node;
        const item = new vscode.TreeItem(siteLabel(site), vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `${project.root}#${site.slug}`;
        const where = site.localhostUrl ? new URL(site.localhostUrl).host : (site.domains.live ?? site.slug);
        item.description = `#${site.id ?? '?'} · ${where}${site.autoPopulated ? ' · auto-populated' : ''}`;
        item.tooltip = siteTooltip(project, site);
        item.iconPath = siteIcon(project, site);
        item.contextValue = isCurrent(project, site) ? 'site.current' : 'site';
        item.command = { command: 'multisiteLocal.switchSite', title: 'Serve Site', arguments: [node] };
        return item;
      }
      case 'address': {
        const item = new vscode.TreeItem(node.url, vscode.TreeItemCollapsibleState.None);
        item.id = `${node.project.root}#${node.site.slug}#address`;
        item.description = 'this site here, beside the others';
        item.iconPath = new vscode.ThemeIcon('link-external');
        item.tooltip = `Open ${siteLabel(node.site)} at ${node.url}: every site has an address of its own, each with its own login.`;
        item.contextValue = 'address';
        item.command = { command: 'multisiteLocal.openSiteAddress', title: 'Open Site Address', arguments: [node] };
        return item;
      }
      case 'domain': {
        const item = new vscode.TreeItem(node.domain, vscode.TreeItemCollapsibleState.None);
        item.id = `${node.project.root}#${node.site.slug}#${node.role}#${node.domain}`;
        item.description = `${ROLE_LABEL[node.role]}${node.source ? ` · ${node.source}` : ''}`;
        item.iconPath = new vscode.ThemeIcon(node.site.autoPopulated ? 'lock' : node.role === 'local' ? 'home' : 'cloud');
        item.tooltip = node.site.autoPopulated
          ? `${ROLE_LABEL[node.role]} domain. ${AUTO_POPULATED_NOTE}`
          : `${ROLE_LABEL[node.role]} domain, from ${node.source ?? 'the settings'}`;
        item.accessibilityInformation = { label: `${node.domain}, ${ROLE_LABEL[node.role]} domain${node.source ? `, from ${node.source}` : ''}` };
        item.contextValue = `domain.${node.role}`;
        item.command = openSourceCommand(node.project, node.source);
        return item;
      }
      case 'detail': {
        const item = new vscode.TreeItem(node.value, vscode.TreeItemCollapsibleState.None);
        item.id = `${node.project.root}#${node.site.slug}#${node.label}#${node.value}`;
        item.description = node.label;
        item.contextValue = 'detail';
        item.command = openSourceCommand(node.project, node.source);
        return item;
      }
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
