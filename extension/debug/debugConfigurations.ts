/**
 * launch.json and F5 for Debug Site (issue 24): "Django multi-site: debug
 * current site" and one configuration per site, of our debug type. A
 * configuration without a port is resolved by serving its site (or the
 * current one) under debugpy first, as Debug Site does, and then attaches to
 * the port debugpy listens on; one with a `debugpyPort` attaches as it is.
 */
import * as vscode from 'vscode';
import type { DebugResult } from '../../protocol/protocol';
import { siteLabel } from '../../protocol/siteLabel';
import type { SiteTarget } from '../commands/commandContext';
import type { ProjectRegistry, ProjectView } from '../projects/projectRegistry';
import { OWN_DEBUG_TYPE } from './attachArguments';
import { attachConfiguration } from './siteDebugger';

const CURRENT = 'Django multi-site: debug current site';

export class SiteDebugConfigurations implements vscode.DebugConfigurationProvider {
  constructor(
    private readonly registry: ProjectRegistry,
    private readonly serve: (target: SiteTarget) => Promise<DebugResult | undefined>,
  ) {}

  /** The project of `folder`: the one whose root is the folder or inside it; else the one the window speaks for. */
  private projectOf(folder: vscode.WorkspaceFolder | undefined): ProjectView | undefined {
    const projects = this.registry.all();
    return (folder && projects.find((p) => p.root === folder.uri.fsPath || p.root.startsWith(`${folder.uri.fsPath}/`))) ?? this.registry.primary();
  }

  async provideDebugConfigurations(folder: vscode.WorkspaceFolder | undefined): Promise<vscode.DebugConfiguration[]> {
    await this.registry.load();
    const sites = this.projectOf(folder)?.sites?.sites ?? [];
    return [
      { type: OWN_DEBUG_TYPE, request: 'attach', name: CURRENT },
      ...sites.map((site) => ({ type: OWN_DEBUG_TYPE, request: 'attach', name: `Django multi-site: debug ${siteLabel(site)}`, site: site.slug })),
    ];
  }

  async resolveDebugConfiguration(
    folder: vscode.WorkspaceFolder | undefined,
    configuration: vscode.DebugConfiguration,
  ): Promise<vscode.DebugConfiguration | undefined> {
    if (typeof configuration.debugpyPort === 'number') return configuration;
    await this.registry.load();
    const project = this.projectOf(folder);
    const sites = project?.sites?.sites ?? [];
    const wanted: unknown = configuration.site;
    const site = typeof wanted === 'string' ? sites.find((s) => s.slug === wanted || siteLabel(s) === wanted) : (project?.state?.currentSite ?? sites[0]);
    if (!project || !site) {
      void vscode.window.showErrorMessage(
        typeof wanted === 'string'
          ? `Multi-Site: no site "${wanted}" in ${project?.name ?? 'this window'}.`
          : 'Multi-Site: open a folder with a Django project first.',
      );
      return undefined;
    }
    const result = await this.serve({ project, site });
    if (!result) return undefined; // declined or failed, said already
    // The person's own settings (justMyCode, pathMappings of theirs) over ours, and the type that attaches where it runs.
    const { site: _site, ...theirs } = configuration;
    const attach = attachConfiguration(configuration.name || CURRENT, result.debugPort, result.pathMappings);
    return { ...attach, ...theirs, type: attach.type };
  }
}
