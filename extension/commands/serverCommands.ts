/** Commands on a project's server and the daemon: start, restart and stop (one project or all), open, logs, refresh, restart the daemon. */
import * as vscode from 'vscode';
import { domainUrl } from '../../protocol/domainUrl';
import { preferredPort } from '../settings';
import type { SitesNode } from '../tree/sitesNodes';
import type { ProjectView } from '../projects/projectRegistry';
import { command, guarded, projectOf, reportFailure, requireTrust } from './commandContext';
import type { CommandContext, Consent } from './commandContext';

/** How a start ended: `declined` when the person said no (to starting despite the schema guard, or in Restricted Mode). */
type StartOutcome = 'started' | 'declined' | 'failed';

/**
 * Serves `project` without naming a site: its current one, else its first, through the schema guard
 * (`consent` shared by a run of starts asks once). A restart is one request: the daemon stops and starts.
 */
export async function startProject(context: CommandContext, project: ProjectView | undefined, restart = false, consent?: Consent): Promise<StartOutcome> {
  if (!project) return 'failed';
  // Restricted Mode: asked once for a run of starts, as the schema guard is.
  if (!(await requireTrust('Starting a project'))) return 'declined';
  const { registry } = context;
  try {
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `${restart ? 'Restarting' : 'Starting'} ${project.name}…` },
      async () => ((await guarded((confirmed) => registry.start(project.root, restart, confirmed), consent)) ? 'started' : 'declined'),
    );
  } catch (error) {
    await reportFailure(context, `Could not start ${project.name}`, error, project);
    return 'failed';
  }
}

/**
 * Starts each of `projects` that is not running, one at a time, asking about the schema guard at most
 * once; a failure does not stop the others, a No to the schema guard does.
 */
export async function startEach(context: CommandContext, projects: ProjectView[]): Promise<void> {
  const consent = { confirmed: false };
  for (const project of projects.filter((p) => p.state?.server.phase !== 'running')) {
    if ((await startProject(context, project, false, consent)) === 'declined') return;
  }
}

export function serverCommands(context: CommandContext): vscode.Disposable[] {
  const { registry, browser, logs } = context;
  const start = (project: ProjectView | undefined, restart = false): Promise<StartOutcome> => startProject(context, project, restart);

  return [
    command('startProject', (node?: SitesNode) => start(projectOf(registry, node))),
    command('restartProject', (node?: SitesNode) => start(projectOf(registry, node), true)),
    command('startAll', () => startEach(context, registry.all())),
    command('stopAll', () => registry.stopAll()),
    command('stopServer', async (node?: SitesNode) => {
      const project = projectOf(registry, node);
      if (!project) return;
      try {
        await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Stopping ${project.name}…` }, () => registry.stop(project.root));
      } catch (error) {
        void vscode.window.showErrorMessage(`Could not stop the server of ${project.name}: ${(error as Error).message}`);
      }
    }),
    command('openInBrowser', async (node?: SitesNode) => {
      const url = projectOf(registry, node)?.state?.siteUrl;
      if (!url) {
        void vscode.window.showInformationMessage('Multi-Site: no site is being served. Click a site in the Sites view first.');
        return undefined;
      }
      return browser.open(url, 'external');
    }),
    // Live and Test domains open the real servers; local ones open this machine's server on its port.
    command('openDomain', async (node?: SitesNode) => {
      if (node?.kind !== 'domain') return undefined;
      if (node.role !== 'local') return browser.open(`https://${node.domain}/`, 'external');
      const served = registry.get(node.project.root)?.state?.server.url;
      const port = served ? new URL(served).port : String(node.project.sites?.options.port ?? preferredPort());
      return browser.open(domainUrl(node.domain, port), 'external');
    }),
    command('showLog', (node?: SitesNode) => logs.show(projectOf(registry, node))),
    command('refresh', () => registry.reload(true)),
    command('restartDaemon', () => context.daemon.restart()),
  ];
}
