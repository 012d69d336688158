/** The status-bar entry for the current site: spinner while switching, error on failure; click to switch. */
import * as vscode from 'vscode';
import type { ProjectRegistry } from './projectRegistry';
import { siteLabel } from '../daemon/protocol/siteLabel';

export class CurrentSiteStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('multisiteLocal.currentSite', vscode.StatusBarAlignment.Left, 50);
  private readonly subscription: vscode.Disposable;

  constructor(private readonly registry: ProjectRegistry) {
    this.item.name = 'Current Site';
    this.item.command = 'multisiteLocal.pickSite';
    this.subscription = registry.onDidChange(() => this.update());
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
    const name = site ? siteLabel(site) : null;
    // A server-environment icon while hosts entries of ours are in the hosts file.
    const entries = state?.hostsFile ? ' $(server-environment)' : '';
    const how =
      state?.mode === 'hosts'
        ? `hosts mode: the request's domain picks the site; entries in ${state.hostsFile}`
        : state?.strategy === 'host'
          ? `the local proxy sets Host to the site's domain`
          : `SITE_ID=${site?.id}`;
    // Behind the local proxy every site also has an address of its own.
    const own = site?.localhostUrl ? ` and ${site.localhostUrl}` : '';
    const warm = state && state.backends.length > 1 ? ` ${state.backends.length} sites are warm.` : '';
    const notes = state?.notes.length ? `\n\n${state.notes.join('\n')}` : '';
    this.item.backgroundColor = undefined;
    if (!state || !site || !name) {
      this.item.text = `$(globe) Choose a site${entries}`;
      this.item.tooltip = `${project.name}: no site is being served. Click to choose one.${notes}`;
    } else if (state.server.phase === 'starting') {
      this.item.text = `$(sync~spin) ${name}${entries}`;
      this.item.tooltip = `Switching ${project.name} to ${name} (${how})…`;
    } else if (state.server.phase === 'failed') {
      this.item.text = `$(error) ${name}${entries}`;
      this.item.tooltip = state.server.error ?? `Serving ${name} failed.`;
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
    } else if (state.server.phase === 'running') {
      this.item.text = `$(globe) ${name}${entries}`;
      this.item.tooltip = `Serving ${name} at ${state.siteUrl ?? state.server.url}${own} (${how}).${warm} Click to switch site.${notes}`;
    } else {
      this.item.text = `$(circle-slash) ${name}${entries}`;
      this.item.tooltip = `${project.name}: the server is stopped. Click to serve a site.${notes}`;
    }
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
