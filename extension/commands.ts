/** The extension's commands. Each one asks the daemon to act and reports failures in one sentence. */
import * as vscode from 'vscode';
import { ResponseError } from 'vscode-jsonrpc';
import { DaemonErrorCode } from '../daemon/protocol/protocol';
import type { RoutingMode, Site } from '../daemon/protocol/protocol';
import type { DaemonConnection } from './daemonConnection';
import type { ProjectRegistry, ProjectView } from './projectRegistry';
import { preferredPort } from './settings';
import type { SitesNode } from './sitesTree';
import { domainUrl } from '../daemon/protocol/domainUrl';
import { siteLabel } from '../daemon/protocol/siteLabel';

interface SitePick extends vscode.QuickPickItem {
  project: ProjectView;
  site: Site;
}

export class Commands {
  constructor(
    private readonly registry: ProjectRegistry,
    private readonly daemon: DaemonConnection,
    private readonly output: vscode.OutputChannel,
  ) {}

  register(): vscode.Disposable[] {
    const command = (id: string, fn: (...args: never[]) => Promise<void> | void): vscode.Disposable => vscode.commands.registerCommand(id, fn);
    return [
      command('multisiteLocal.switchSite', (node?: SitesNode) => this.switchSite(node)),
      command('multisiteLocal.pickSite', () => this.switchSite(undefined)),
      command('multisiteLocal.stopServer', (node?: SitesNode) => this.stopServer(node)),
      command('multisiteLocal.openInBrowser', (node?: SitesNode) => this.openInBrowser(node)),
      command('multisiteLocal.openDomain', (node?: SitesNode) => this.openDomain(node)),
      command('multisiteLocal.openSiteAddress', (node?: SitesNode) => this.openSiteAddress(node)),
      command('multisiteLocal.useHostsMode', (node?: SitesNode) => this.setMode(node, 'hosts')),
      command('multisiteLocal.useEnvMode', (node?: SitesNode) => this.setMode(node, 'env')),
      command('multisiteLocal.cleanUpHosts', () => this.cleanUp()),
      command('multisiteLocal.showLog', () => this.output.show()),
      command('multisiteLocal.refresh', () => this.registry.reload(true)),
      command('multisiteLocal.restartDaemon', () => this.daemon.restart()),
    ];
  }

  private async pickSite(): Promise<SitePick | undefined> {
    await this.registry.load();
    const projects = this.registry.all();
    const items: SitePick[] = projects.flatMap((project) =>
      (project.sites?.sites ?? []).map((site) => {
        const current = project.state?.currentSite?.slug === site.slug;
        return {
          project,
          site,
          label: `${current ? '$(check)' : '$(globe)'} ${siteLabel(site)}`,
          description: `#${site.id ?? '?'} · ${site.domains.live ?? site.slug}`,
          // Behind the local proxy each site has its own address: show it, with the project when there are several.
          detail: [projects.length > 1 ? project.name : null, site.localhostUrl].filter(Boolean).join(' · ') || undefined,
        };
      }),
    );
    if (items.length === 0) {
      void vscode.window.showWarningMessage('Multi-Site: no sites found. Declare them in DJANGO_MULTISITE_PLUS_SITES in your settings.');
      return undefined;
    }
    return vscode.window.showQuickPick(items, { title: 'Serve which site?', placeHolder: 'Site name, id or domain', matchOnDescription: true });
  }

  private async switchSite(node: SitesNode | undefined): Promise<void> {
    const target = node?.kind === 'site' ? { project: node.project, site: node.site } : await this.pickSite();
    if (!target) return;
    if (!vscode.workspace.isTrusted) {
      const choice = await vscode.window.showWarningMessage(
        "Serving a site runs the project's manage.py, so the workspace must be trusted first.",
        'Manage Workspace Trust',
      );
      if (choice) await vscode.commands.executeCommand('workbench.trust.manage');
      return;
    }
    const name = siteLabel(target.site);
    try {
      await this.registry.switchSite(target.project.root, target.site);
    } catch (error) {
      if (error instanceof ResponseError && error.code === DaemonErrorCode.Superseded) return;
      const choice = await vscode.window.showErrorMessage(`Could not serve ${name}: ${(error as Error).message}`, 'Show Log');
      if (choice) this.output.show();
    }
  }

  private projectFor(node: SitesNode | undefined): ProjectView | undefined {
    return node?.project ?? this.registry.primary();
  }

  /** Opens a site at its own `.localhost` address, warming its server first (the current site stays as it is). */
  private async openSiteAddress(node: SitesNode | undefined): Promise<void> {
    const target = node?.kind === 'site' || node?.kind === 'address' ? { project: node.project, site: node.site } : await this.pickSite();
    if (!target) return;
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage("Opening a site runs the project's manage.py, so the workspace must be trusted first.");
      return;
    }
    const name = siteLabel(target.site);
    try {
      const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Starting ${name}…` }, () =>
        this.registry.openSite(target.project.root, target.site),
      );
      await vscode.env.openExternal(vscode.Uri.parse(result.localhostUrl ?? result.url));
    } catch (error) {
      if (error instanceof ResponseError && error.code === DaemonErrorCode.Superseded) return;
      const choice = await vscode.window.showErrorMessage(`Could not open ${name}: ${(error as Error).message}`, 'Show Log');
      if (choice) this.output.show();
    }
  }

  private async stopServer(node: SitesNode | undefined): Promise<void> {
    const project = this.projectFor(node);
    if (!project) return;
    try {
      await this.registry.stop(project.root);
    } catch (error) {
      void vscode.window.showErrorMessage(`Could not stop the server of ${project.name}: ${(error as Error).message}`);
    }
  }

  /** Live and Test domains open the real servers; local ones open this machine's server on its port. */
  private async openDomain(node: SitesNode | undefined): Promise<void> {
    if (node?.kind !== 'domain') return;
    let url = `https://${node.domain}/`;
    if (node.role === 'local') {
      const served = node.project.state?.server.url;
      const port = served ? new URL(served).port : String(node.project.sites?.options.port ?? preferredPort());
      url = domainUrl(node.domain, port);
    }
    await vscode.env.openExternal(vscode.Uri.parse(url));
  }

  private async setMode(node: SitesNode | undefined, mode: RoutingMode): Promise<void> {
    const project = this.projectFor(node);
    if (!project) return;
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage("Changing the mode restarts the project's manage.py, so the workspace must be trusted first.");
      return;
    }
    const label = mode === 'hosts' ? 'hosts mode' : 'SITE_ID mode';
    try {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Multi-Site: switching ${project.name} to ${label}…` },
        () => this.registry.setMode(project.root, mode),
      );
      for (const note of result.state.notes) void vscode.window.showWarningMessage(`Multi-Site: ${note}`);
    } catch (error) {
      const choice = await vscode.window.showErrorMessage(`Could not switch ${project.name} to ${label}: ${(error as Error).message}`, 'Show Log');
      if (choice) this.output.show();
    }
  }

  private async cleanUp(): Promise<void> {
    try {
      const changes = await this.registry.cleanUp();
      const changed = changes.filter((c) => c.changed).map((c) => c.file);
      void vscode.window.showInformationMessage(
        changed.length ? `Multi-Site: removed our entries from ${changed.join(', ')}.` : 'Multi-Site: no hosts entries of ours were left.',
      );
    } catch (error) {
      void vscode.window.showErrorMessage(`Could not clean up the hosts entries: ${(error as Error).message}`);
    }
  }

  private async openInBrowser(node: SitesNode | undefined): Promise<void> {
    const url = this.projectFor(node)?.state?.siteUrl;
    if (!url) {
      void vscode.window.showInformationMessage('Multi-Site: no site is being served. Click a site in the Sites view first.');
      return;
    }
    await vscode.env.openExternal(vscode.Uri.parse(url));
  }
}
