/** How each row of the Sites view looks: label, description, icon, tooltip, menus (contextValue) and click. */
import * as vscode from 'vscode';
import type { BackendState, SettingsModuleInfo, Site } from '../../protocol/protocol';
import { siteIdName, siteLabel } from '../../protocol/siteLabel';
import { windowAddresses } from '../browser/windowAddresses';
import { interpreterMarkdown } from '../interpreterText';
import type { ProjectView } from '../projects/projectRegistry';
import { modeLabel, portOf, routingPhrase } from '../servingText';
import { shortHost } from './addressText';
import { PHASE_WORDS, projectIcon, siteIcon } from './siteIcons';
import type { NextStepKind } from '../../client/sitesSearchText';
import { backendOf, isCurrent, needsPopulate, nothingFoundIn, sitePhase, sourceLocation } from './sitesNodes';
import type { DomainRole, SitesNode } from './sitesNodes';

const ROLE_LABEL: Record<DomainRole, string> = { live: 'Live', test: 'Test', local: 'Local' };

/** What the next-step row runs when no site was found (client/sitesSearchText.ts). */
const NEXT_COMMAND: Record<NextStepKind, string> = {
  populate: 'multisiteLocal.populateSites',
  trust: 'workbench.trust.manage',
  doctor: 'multisiteLocal.runDoctor',
  writeConfig: 'multisiteLocal.createConfig',
};

export const AUTO_POPULATED_NOTE =
  'Auto-populated (DJANGO_MULTISITE_PLUS_AUTO_POPULATE_SITES is on, django-multisite-plus up to 0.7.1): edits to these domains in the admin at Sites > Sites are overwritten at the next deployment. Change DJANGO_MULTISITE_PLUS_SITES instead.';

/** The project row's tooltip when django-multisite-plus's table is empty. */
export const POPULATE_NOTE =
  "django-multisite-plus's table of sites is empty, so Django knows none of these sites yet: *Populate Sites* writes them as a deployment does.";

function describeBackend(backend: BackendState): string {
  const memory = backend.rssBytes === null ? '' : `, ${Math.round(backend.rssBytes / (1 << 20))} MB`;
  const who = backend.site === null ? 'one server for every site' : 'its own server';
  return `${who}: ${backend.phase}${backend.pid ? ` (pid ${backend.pid}${memory})` : ''}${backend.error ? `. ${backend.error}` : ''}`;
}

/** An address as this window shows it (through its port forwarding: browser/windowAddresses.ts). */
const shown = (url: string, ask = true): string => windowAddresses.shown(url, ask) ?? url;

/** Where a site answers here, for its description: its own address, else its domain. */
export function siteWhere(site: Site): string {
  return site.localhostUrl ? new URL(shown(site.localhostUrl)).host : (site.domains.live ?? site.slug);
}

function siteTooltip(project: ProjectView, site: Site): vscode.MarkdownString {
  const lines = [`**${siteLabel(site)}** (${siteIdName(site)} ${site.id ?? '?'}, slug \`${site.slug}\`): ${PHASE_WORDS[sitePhase(project, site)]}`, ''];
  if (site.localhostUrl) lines.push(`- Here: ${shown(site.localhostUrl)}`);
  if (site.portUrl) lines.push(`- Its own port: ${shown(site.portUrl, false)}`);
  if (site.domains.live) lines.push(`- Live: \`${site.domains.live}\``);
  if (site.domains.test) lines.push(`- Test: \`${site.domains.test}\``);
  if (site.domains.local.length) lines.push(`- Local: ${site.domains.local.map((d) => `\`${d}\``).join(', ')}`);
  if (site.sources.length) lines.push('', `Declared in ${site.sources.join(', ')}`);
  // How a request reaches this site and why it was chosen: a wrong routing fails silently (Wagtail answers its default site).
  if (project.state) lines.push('', `Routing: ${modeLabel(project.state)}: ${routingPhrase(project.state)}`);
  if (site.autoPopulated) lines.push('', `$(lock) ${AUTO_POPULATED_NOTE}`);
  if (isCurrent(project, site) && project.state?.siteUrl) lines.push('', `Served at ${shown(project.state.siteUrl)}`);
  const backend = backendOf(project, site);
  if (backend) lines.push('', `Warm behind the local proxy, ${describeBackend(backend)}`);
  const debugging = project.state?.debugging;
  if (debugging && isDebugged(project, site))
    lines.push('', `$(debug-alt) Served under debugpy, which listens on 127.0.0.1:${debugging.port}: Stop Debugging serves it as before.`);
  return new vscode.MarkdownString(lines.join('\n'), true);
}

/** The site's context value: `site.<current|other>[.live][.test][.source]`, matched by the menus in package.json. */
function siteContext(project: ProjectView, site: Site): string {
  const flags = [
    'site',
    isCurrent(project, site) ? 'current' : 'other',
    site.domains.live ? 'live' : null,
    site.domains.test ? 'test' : null,
    site.sources.some((s) => sourceLocation(s)) ? 'source' : null,
    isDebugged(project, site) ? 'debugging' : null,
  ];
  return flags.filter(Boolean).join('.');
}

/** Whether `site` is served under debugpy now. */
function isDebugged(project: ProjectView, site: Site): boolean {
  return project.state?.debugging?.site === site.slug;
}

/** A command that opens `source` (`file:line`, relative to the project) at its line. */
export function openSourceCommand(project: ProjectView, source: string | null): vscode.Command | undefined {
  const location = sourceLocation(source);
  if (!location) return undefined;
  return {
    command: 'vscode.open',
    title: 'Open Declaration',
    arguments: [vscode.Uri.joinPath(vscode.Uri.file(project.root), location.file), { selection: new vscode.Range(location.line, 0, location.line, 0) }],
  };
}

/** The settings module in the project's tooltip: which, named where, and what the setting may choose instead. */
function settingsLines(settings: SettingsModuleInfo | undefined): string[] {
  if (!settings) return [];
  if (!settings.module) return ['Settings module: none named. Choose one with the `multisiteLocal.settingsModule` setting or `"settings"` in multisite.json.'];
  const from = settings.from ? ` (from ${settings.from})` : '';
  const others = settings.others.length
    ? [`Others: ${settings.others.map((m) => `\`${m}\``).join(', ')}; choose one with the \`multisiteLocal.settingsModule\` setting.`]
    : [];
  return [`Settings module: \`${settings.module}\`${from}`, ...others];
}

/** The project row's tooltip: where it is, its mode and why it routes so, what serves it, and what to know. */
function projectTooltip(project: ProjectView, shared: string | null, populate: boolean): vscode.MarkdownString {
  const state = project.state;
  // Why this routing (the framework, multisite.json, the mode): a wrong one fails silently.
  const reason = state?.routingReason ?? project.sites?.routingReason;
  const paragraphs = [
    `**${project.name}**: ${project.root}`,
    `Mode: ${modeLabel(state)}${state ? `: ${routingPhrase(state)}` : ''}`,
    ...(reason && state?.strategy === 'restart' ? [`Routing: ${reason}`] : []),
    state?.siteUrl ? `Serving ${shown(state.siteUrl)}` : 'No server running',
    ...(state?.interpreter ? [interpreterMarkdown(state.interpreter)] : []),
    ...settingsLines(project.sites?.settings),
    ...(shared ? [`It ${shared}: their migrations must match, or the shared schema can break (the doctor compares them).`] : []),
    ...(project.inWorkspace ? [] : ['Not a folder of this workspace: shown because it shares a database with one.']),
    ...(project.error ? [project.error] : []),
    ...(populate ? [POPULATE_NOTE] : []),
  ];
  return new vscode.MarkdownString(paragraphs.join('\n\n'));
}

function projectItem(project: ProjectView, sharing: string[]): vscode.TreeItem {
  const item = new vscode.TreeItem(project.name, vscode.TreeItemCollapsibleState.Expanded);
  const state = project.state;
  item.iconPath = projectIcon(state?.server.phase, project.error !== null);
  const port = portOf(state);
  const shared = sharing.length > 0 ? `shares its database with ${sharing.join(', ')}` : null;
  const populate = needsPopulate(project);
  const empty = populate ? 'sites table empty' : nothingFoundIn(project) ? 'no site found' : null;
  item.description = project.error ?? [modeLabel(state), port ? `port ${port}` : null, shared, empty].filter(Boolean).join(' · ');
  item.tooltip = projectTooltip(project, shared, populate);
  const serving = state && state.server.phase !== 'stopped' ? 'serving' : 'idle';
  const flags = ['project', state?.mode ?? 'env', serving, shared ? 'shared' : null, populate ? 'populate' : null];
  item.contextValue = flags.filter(Boolean).join('.');
  return item;
}

function siteItem(project: ProjectView, site: Site): vscode.TreeItem {
  const item = new vscode.TreeItem(siteLabel(site), vscode.TreeItemCollapsibleState.Collapsed);
  // The current site's description is the address it answers at now; first and shortened, so its port shows at the default width.
  const where = isCurrent(project, site) && project.state?.siteUrl ? new URL(shown(project.state.siteUrl)).host : siteWhere(site);
  const debugged = isDebugged(project, site);
  item.description = `${shortHost(where)} · #${site.id ?? '?'}${debugged ? ' · debugging' : ''}${site.autoPopulated ? ' · auto-populated' : ''}`;
  item.tooltip = siteTooltip(project, site);
  const phase = sitePhase(project, site);
  item.iconPath = debugged ? new vscode.ThemeIcon('debug-alt', new vscode.ThemeColor('debugIcon.startForeground')) : siteIcon(phase);
  item.accessibilityInformation = { label: `${siteLabel(site)}, ${PHASE_WORDS[phase]}${debugged ? ', being debugged' : ''}` };
  item.contextValue = siteContext(project, site);
  item.command = { command: 'multisiteLocal.switchSite', title: 'Serve Site', arguments: [{ kind: 'site', project, site }] };
  return item;
}

/** The row's id, stable for as long as the row means the same thing: VS Code keeps its expansion and selection by it. */
export function rowId(node: SitesNode): string {
  switch (node.kind) {
    case 'project':
      return node.project.root;
    case 'site':
      return `${node.project.root}#${node.site.slug}`;
    case 'address':
      return `${node.project.root}#${node.site.slug}#address#${node.url}`;
    case 'domain':
      return `${node.project.root}#${node.site.slug}#${node.role}#${node.domain}`;
    case 'tried':
      return `${node.project.root}#tried#${node.index}`;
    case 'next':
      return `${node.project.root}#next`;
    case 'detail':
      return `${node.project.root}#${node.site.slug}#${node.label}#${node.value}`;
  }
}

/**
 * What a click on a row runs when that needs the row (sitesTree.ts runs it for the row clicked):
 * a command with arguments is kept by the extension host only until the row or one above it is
 * redrawn, and a click landing before the workbench has the new rows did nothing.
 */
export const ROW_CLICK = 'multisiteLocal.rowClicked';

export function treeItemOf(node: SitesNode): vscode.TreeItem {
  const item = drawn(node);
  item.id = rowId(node);
  // `vscode.open` is one of VS Code's API commands, sent with its arguments: nothing to dispose.
  if (item.command?.arguments?.length && item.command.command !== 'vscode.open') item.command = { command: ROW_CLICK, title: item.command.title };
  return item;
}

/** What a click on `node` runs. */
export function clickOf(node: SitesNode): vscode.Command | undefined {
  return drawn(node).command;
}

function drawn(node: SitesNode): vscode.TreeItem {
  switch (node.kind) {
    case 'project':
      return projectItem(node.project, node.sharing);
    case 'site':
      return siteItem(node.project, node.site);
    case 'address': {
      const address = shown(node.url, node.url === node.site.localhostUrl);
      const item = new vscode.TreeItem(address, vscode.TreeItemCollapsibleState.None);
      item.iconPath = new vscode.ThemeIcon('link-external');
      item.tooltip = `Open ${siteLabel(node.site)} at ${address}: every site has an address of its own, each with its own login.`;
      item.contextValue = 'address';
      item.command = { command: 'multisiteLocal.openSiteAddress', title: 'Open Site Address', arguments: [node] };
      return item;
    }
    case 'domain': {
      const item = new vscode.TreeItem(node.domain, vscode.TreeItemCollapsibleState.None);
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
    case 'tried': {
      const item = new vscode.TreeItem(node.value, vscode.TreeItemCollapsibleState.None);
      item.description = node.label;
      item.tooltip = `${node.label}: ${node.value}`;
      item.accessibilityInformation = { label: `${node.label}: ${node.value}` };
      item.iconPath = new vscode.ThemeIcon(node.label === 'Looked in' ? 'search' : 'info');
      item.contextValue = 'tried';
      return item;
    }
    case 'next': {
      const item = new vscode.TreeItem(node.step.title, vscode.TreeItemCollapsibleState.None);
      item.description = 'next step';
      item.tooltip = node.step.why;
      item.accessibilityInformation = { label: `${node.step.title}, the next step: ${node.step.why}` };
      item.iconPath = new vscode.ThemeIcon('arrow-right');
      item.contextValue = `next.${node.step.kind}`;
      item.command = { command: NEXT_COMMAND[node.step.kind], title: node.step.title, arguments: [{ kind: 'project', project: node.project }] };
      return item;
    }
    case 'detail': {
      const item = new vscode.TreeItem(node.value, vscode.TreeItemCollapsibleState.None);
      item.description = node.label;
      item.contextValue = 'detail';
      item.command = openSourceCommand(node.project, node.source);
      return item;
    }
  }
}
