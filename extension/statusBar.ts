/**
 * The status-bar entry: the current site and the mode; a spinner while
 * switching; the error colour when serving failed and the warning colour
 * while hosts entries of ours are in the hosts file (they must be cleaned up).
 * Its tooltip says where, on which port, how, and which process. Click: switch.
 */
import * as vscode from 'vscode';
import type { ProjectState } from '../protocol/protocol';
import { siteLabel } from '../protocol/siteLabel';
import { windowAddresses } from './browser/windowAddresses';
import type { ProjectRegistry, ProjectView } from './projects/projectRegistry';
import { modeLabel, portOf, routingPhrase } from './servingText';

function tooltip(project: ProjectView, state: ProjectState | null): vscode.MarkdownString {
  const site = state?.currentSite;
  const rows: string[] = [`**${site ? siteLabel(site) : 'No site'}** · ${project.name}`, ''];
  if (state) {
    rows.push(`| | |`, `|---|---|`);
    if (state.siteUrl) rows.push(`| Address | ${windowAddresses.shown(state.siteUrl)} |`);
    if (site?.localhostUrl && site.localhostUrl !== state.siteUrl) rows.push(`| Own address | ${windowAddresses.shown(site.localhostUrl)} |`);
    if (site?.portUrl) rows.push(`| Own port | ${windowAddresses.shown(site.portUrl, false)} |`);
    const port = portOf(state);
    if (port) rows.push(`| Port | ${port} |`);
    rows.push(`| Mode | ${modeLabel(state)}: ${routingPhrase(state)} |`);
    rows.push(`| Server | ${state.server.phase}${state.server.pid ? `, pid ${state.server.pid}` : ''} |`);
    if (state.backends.length > 1) rows.push(`| Warm | ${state.backends.map((b) => b.label).join(', ')} |`);
    if (state.hostsFile) rows.push(`| Hosts entries | in ${state.hostsFile}: clean up when done |`);
    if (state.debugging) rows.push(`| Debugging | ${debuggedName(project, state)}: debugpy on 127.0.0.1:${state.debugging.port} |`);
  }
  if (state?.server.error) rows.push('', `$(error) ${state.server.error}`);
  for (const note of state?.notes ?? []) rows.push('', `$(info) ${note}`);
  rows.push('', site ? 'Click to switch site.' : 'Click to choose a site.');
  const markdown = new vscode.MarkdownString(rows.join('\n'), true);
  markdown.isTrusted = false;
  return markdown;
}

/** The debugged site's name as the project's sites say it (its slug until they are read). */
function debuggedName(project: ProjectView, state: ProjectState): string {
  const slug = state.debugging?.site;
  const site = project.sites?.sites.find((s) => s.slug === slug);
  return site ? siteLabel(site) : (slug ?? '');
}

export class CurrentSiteStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('multisiteLocal.currentSite', vscode.StatusBarAlignment.Left, 50);
  private readonly subscription: vscode.Disposable;

  constructor(private readonly registry: ProjectRegistry) {
    this.item.name = 'Current Site';
    this.item.command = 'multisiteLocal.pickSite';
    this.subscription = vscode.Disposable.from(
      registry.onDidChange(() => this.update()),
      windowAddresses.onDidChange(() => this.update()),
    );
    this.update();
  }

  private update(): void {
    const project = this.registry.primary();
    if (!project) {
      this.item.hide();
      return;
    }
    const state = project.state;
    const site = state?.currentSite;
    const name = site ? `${siteLabel(site)} · ${modeLabel(state)}` : null;
    const phase = state?.server.phase ?? 'stopped';
    const icon = !name ? 'globe' : phase === 'starting' ? 'sync~spin' : phase === 'failed' ? 'error' : phase === 'running' ? 'globe' : 'circle-slash';
    // A site being debugged shows beside the current one: a debugger may be paused in it.
    const debugging = state?.debugging ? ` $(debug-alt) ${state.debugging.site === site?.slug ? '' : debuggedName(project, state)}`.trimEnd() : '';
    this.item.text = `$(${icon}) ${name ?? 'Choose a site'}${debugging}${state?.hostsFile ? ' $(server-environment)' : ''}`;
    this.item.tooltip = tooltip(project, state);
    const debugged = state?.debugging ? `, debugging ${debuggedName(project, state)}` : '';
    this.item.accessibilityInformation = { label: `Current site: ${name ?? 'none'}, ${phase}${debugged}` };
    this.item.backgroundColor =
      phase === 'failed'
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : state?.hostsFile
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
