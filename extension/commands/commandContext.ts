/** What every command needs: the window's projects, the daemon, the logs, the browser and the doctor. */
import * as vscode from 'vscode';
import { ResponseError } from '../../protocol/wire';
import { DaemonErrorCode } from '../../protocol/protocol';
import type { Site } from '../../protocol/protocol';
import { siteLabel } from '../../protocol/siteLabel';
import type { SiteBrowser } from '../browser/siteBrowser';
import { windowAddresses } from '../browser/windowAddresses';
import type { DaemonConnection } from '../daemonConnection';
import type { DoctorResults } from '../doctor/doctorResults';
import type { ProjectLogs } from '../logs/projectLogs';
import type { ProjectRegistry, ProjectView } from '../projects/projectRegistry';
import type { SitesNode } from '../tree/sitesNodes';

export interface CommandContext {
  registry: ProjectRegistry;
  daemon: DaemonConnection;
  logs: ProjectLogs;
  browser: SiteBrowser;
  doctor: DoctorResults;
}

export interface SiteTarget {
  project: ProjectView;
  site: Site;
}

interface SitePick extends vscode.QuickPickItem {
  target: SiteTarget;
}

/** Registers `fn` under `multisiteLocal.<verb>`. */
export function command(verb: string, fn: (...args: never[]) => unknown): vscode.Disposable {
  return vscode.commands.registerCommand(`multisiteLocal.${verb}`, fn);
}

/** The project a command acts on: the node's (the registry's live copy of it), else the one the status bar speaks for. */
export function projectOf(registry: ProjectRegistry, node: { project?: { root: string } } | undefined): ProjectView | undefined {
  return node?.project ? registry.get(node.project.root) : registry.primary();
}

/**
 * Asks which site, across every project of the window. `offerDebug`: each site also has a Debug Site
 * button, which debugs that site instead (the status bar's menu, issue 24) and answers undefined.
 */
export async function pickSite(registry: ProjectRegistry, title = 'Serve which site?', offerDebug = false): Promise<SiteTarget | undefined> {
  await registry.load();
  const projects = registry.all();
  const items: SitePick[] = projects.flatMap((project) =>
    (project.sites?.sites ?? []).map((site) => {
      const current = project.state?.currentSite?.slug === site.slug;
      return {
        target: { project, site },
        label: `${current ? '$(check)' : '$(globe)'} ${siteLabel(site)}`,
        description: `#${site.id ?? '?'} · ${site.domains.live ?? site.slug}`,
        // Behind the local proxy each site has its own address: show it, with the project when there are several.
        detail:
          [projects.length > 1 ? project.name : null, windowAddresses.shown(site.localhostUrl), windowAddresses.shown(site.portUrl, false)]
            .filter(Boolean)
            .join(' · ') || undefined,
      };
    }),
  );
  if (items.length === 0) {
    const sought = [...new Set(projects.flatMap((p) => p.sites?.sitesSought ?? []))];
    void vscode.window.showWarningMessage(
      `Multi-Site: no sites found${sought.length ? `; looked in ${sought.join(', ')}` : ''}. Run the doctor for what to do.`,
    );
    return undefined;
  }
  const pick = vscode.window.createQuickPick<SitePick>();
  pick.title = title;
  pick.placeholder = 'Site name, id or domain';
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  const debug: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('debug-alt'), tooltip: 'Debug Site' };
  pick.items = offerDebug ? items.map((item) => ({ ...item, buttons: [debug] })) : items;
  return new Promise((resolve) => {
    pick.onDidAccept(() => {
      resolve(pick.selectedItems[0]?.target);
      pick.hide();
    });
    pick.onDidTriggerItemButton(({ item }) => {
      pick.hide();
      const node: SitesNode = { kind: 'site', project: item.target.project, site: item.target.site };
      void vscode.commands.executeCommand('multisiteLocal.debugSite', node);
    });
    pick.onDidHide(() => {
      resolve(undefined);
      pick.dispose();
    });
    pick.show();
  });
}

/** The site a command acts on: the clicked row's, else the one the person picks (see pickSite). */
export async function siteTarget(registry: ProjectRegistry, node: SitesNode | undefined, title?: string, offerDebug = false): Promise<SiteTarget | undefined> {
  if (node && 'site' in node) {
    const project = registry.get(node.project.root) ?? node.project;
    return { project, site: project.sites?.sites.find((s) => s.slug === node.site.slug) ?? node.site };
  }
  return pickSite(registry, title, offerDebug);
}

/** Serving runs the project's manage.py: refuse in Restricted Mode, offering to manage trust. */
export async function requireTrust(what: string): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const choice = await vscode.window.showWarningMessage(
    `${what} runs the project's manage.py, so the workspace must be trusted first.`,
    'Manage Workspace Trust',
  );
  if (choice) await vscode.commands.executeCommand('workbench.trust.manage');
  return false;
}

/** Reports a failed action in one sentence, offering the project's log; a superseded switch is no failure. */
export async function reportFailure(context: CommandContext, what: string, error: unknown, project?: ProjectView): Promise<void> {
  if (error instanceof ResponseError && error.code === DaemonErrorCode.Superseded) return;
  const choice = await vscode.window.showErrorMessage(`${what}: ${(error as Error).message}`, 'Show Log');
  if (choice) context.logs.show(project);
}

/** Whether the person already said to start despite the schema guard, for a run of starts that asks once. */
export interface Consent {
  confirmed: boolean;
}

/**
 * Runs a start through the schema guard: when the projects sharing this one's database have other
 * migrations, the daemon refuses (SchemaDrift) and the person decides, in a modal, whether to start
 * anyway. Starts sharing one `consent` (a whole group's) ask at most once.
 */
export async function guarded<T>(start: (confirmed: boolean) => Thenable<T>, consent: Consent = { confirmed: false }): Promise<T | undefined> {
  try {
    return await start(consent.confirmed);
  } catch (error) {
    if (!(error instanceof ResponseError) || error.code !== DaemonErrorCode.SchemaDrift) throw error;
    const choice = await vscode.window.showWarningMessage(
      'The projects sharing this database run other migrations.',
      { modal: true, detail: (error as Error).message },
      'Start Anyway',
    );
    if (!choice) return undefined;
    consent.confirmed = true;
    return start(true);
  }
}
