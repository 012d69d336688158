/**
 * The current site in every new terminal (issue 24): each project's integrated
 * terminals get `MULTISITE_LOCAL_SITE` (its slug), `MULTISITE_LOCAL_URL` (where
 * it answers) and, where the project picks its site by `SITE_ID` in the
 * environment, `SITE_ID`, so `python manage.py shell` in a new terminal is in
 * the site being looked at. VS Code marks terminals opened before a change as
 * stale, as it does for any extension's variables.
 */
import * as vscode from 'vscode';
import { siteLabel } from '../../protocol/siteLabel';
import type { ProjectRegistry } from '../projects/projectRegistry';
import { siteVariables } from './siteVariables';

export class SiteTerminals implements vscode.Disposable {
  private readonly subscription: vscode.Disposable;
  /** What each folder's collection holds now: nothing is written when nothing changed. */
  private readonly written = new Map<string, string>();

  constructor(
    private readonly registry: ProjectRegistry,
    private readonly collection: vscode.GlobalEnvironmentVariableCollection,
  ) {
    this.subscription = registry.onDidChange(() => this.update());
  }

  private update(): void {
    for (const project of this.registry.all()) {
      const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(project.root));
      if (!folder) continue;
      const variables = siteVariables(project.state);
      const key = JSON.stringify(variables);
      if (this.written.get(project.root) === key) continue;
      this.written.set(project.root, key);
      const scoped = this.collection.getScoped({ workspaceFolder: folder });
      scoped.clear();
      for (const [name, value] of Object.entries(variables)) scoped.replace(name, value);
      const site = project.state?.currentSite;
      scoped.description = site ? `Multi-Site: the current site of ${project.name}, ${siteLabel(site)}` : undefined;
    }
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
