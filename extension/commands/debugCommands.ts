/**
 * Debug Site and Stop Debugging (issue 24): the site's server is started
 * again under debugpy by the daemon and VS Code attaches to it
 * (debug/siteDebugger.ts), the other sites keep serving; Stop Debugging ends
 * the attached session and serves the site as before.
 */
import * as vscode from 'vscode';
import type { DebugResult } from '../../protocol/protocol';
import { siteLabel } from '../../protocol/siteLabel';
import { attachConfiguration, attachedPort, bundledDebugpy, serverAttached } from '../debug/siteDebugger';
import type { SitesNode } from '../tree/sitesNodes';
import { command, guarded, projectOf, reportFailure, requireTrust, siteTarget } from './commandContext';
import type { CommandContext, SiteTarget } from './commandContext';

/** How long the server's own session may take to attach after the autoreloader's (its start imports the project). */
const SERVER_ATTACH_MS = 30_000;

/** The debug sessions this window attached, by project root: Stop Debugging ends them. */
const attached = new Map<string, vscode.DebugSession>();

/**
 * Serves `target`'s site under debugpy, with progress and the schema guard's question; undefined when
 * the person declined or it failed (said in one sentence, with the log offered).
 */
export async function serveUnderDebugpy(context: CommandContext, target: SiteTarget): Promise<DebugResult | undefined> {
  if (!(await requireTrust('Debugging a site'))) return undefined;
  const name = siteLabel(target.site);
  try {
    return await guarded((confirmed) =>
      vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Starting ${name} under debugpy…` }, () =>
        context.registry.debugSite(target.project.root, target.site, bundledDebugpy(), confirmed),
      ),
    );
  } catch (error) {
    await reportFailure(context, `Could not debug ${name}`, error, target.project);
    return undefined;
  }
}

export function debugCommands(context: CommandContext): vscode.Disposable[] {
  const { registry } = context;
  return [
    command('debugSite', async (node?: SitesNode): Promise<DebugResult | undefined> => {
      const target = await siteTarget(registry, node, 'Debug which site?');
      const result = target && (await serveUnderDebugpy(context, target));
      if (!target || !result) return undefined;
      const name = siteLabel(target.site);
      const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(target.project.root));
      const server = serverAttached(result.debugPort, SERVER_ATTACH_MS);
      const started = await vscode.debug.startDebugging(folder, attachConfiguration(`Debug ${name}`, result.debugPort, result.pathMappings));
      if (!started) {
        void vscode.window.showWarningMessage(`Multi-Site: ${name} is served under debugpy on 127.0.0.1:${result.debugPort}, but VS Code did not attach.`);
        return result;
      }
      // Breakpoints hold in the server's own session, which comes a moment after the autoreloader's: the command ends when they do.
      const serverReached = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: `Attaching to ${name}'s server…` },
        () => server,
      );
      if (!serverReached)
        void vscode.window.showWarningMessage(
          `Multi-Site: VS Code attached to ${name}'s autoreloader, but not to its server within ${SERVER_ATTACH_MS / 1000} s: breakpoints in views may not hold yet.`,
        );
      return result;
    }),
    command('stopDebugging', async (node?: SitesNode) => {
      const project = projectOf(registry, node);
      if (!project) return undefined;
      const session = attached.get(project.root);
      attached.delete(project.root);
      if (session) await vscode.debug.stopDebugging(session);
      try {
        return await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Serving ${project.name} without debugpy…` }, () =>
          registry.stopDebugging(project.root),
        );
      } catch (error) {
        await reportFailure(context, `Could not stop debugging ${project.name}`, error, project);
        return undefined;
      }
    }),
    vscode.debug.onDidStartDebugSession((session) => {
      if (session.parentSession) return; // a server the autoreloader started: its parent's session is the one to end
      const port = attachedPort(session.configuration);
      const project = registry.all().find((p) => p.state?.debugging?.port === port);
      if (project && port !== null) attached.set(project.root, session);
    }),
    vscode.debug.onDidTerminateDebugSession((session) => {
      for (const [root, known] of attached) if (known.id === session.id) attached.delete(root);
    }),
  ];
}
