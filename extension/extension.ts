/**
 * Composition root: wires the daemon connection, the project registry, the
 * Sites view, the status bar and the commands. No I/O here: the daemon is
 * reached the first time the view or a command needs it.
 */
import * as vscode from 'vscode';
import type { LogLine, ProjectState } from '../daemon/protocol/protocol';
import { Commands } from './commands';
import { DaemonConnection } from './daemonConnection';
import { ProjectRegistry } from './projectRegistry';
import { cleanUpOnExit } from './settings';
import { SitesTreeProvider } from './sitesTree';
import { CurrentSiteStatusBar } from './statusBar';

/** What the extension exports, for other extensions and for its own tests. */
export interface MultisiteLocalApi {
  projectState(root: string): ProjectState | null;
  ready(): Promise<void>;
}

let registry: ProjectRegistry | undefined;

/** A log line as the output shows it: the daemon's own marked, each warm backend's labelled with its site. */
function logText(line: LogLine): string {
  const source = line.source ? `[${line.source}] ` : '';
  return line.stream === 'daemon' ? `[multisite] ${source}${line.text}` : `${source}${line.text}`;
}

export function activate(context: vscode.ExtensionContext): MultisiteLocalApi {
  const output = vscode.window.createOutputChannel('Django Multi-Site Local');
  const daemon = new DaemonConnection(context.extensionPath, output);
  const diagnostics = vscode.languages.createDiagnosticCollection('multisiteLocal');
  registry = new ProjectRegistry(daemon, diagnostics);
  const tree = new SitesTreeProvider(registry);
  const view = vscode.window.createTreeView('multisiteLocal.sites', { treeDataProvider: tree, showCollapseAll: false });
  context.subscriptions.push(
    output,
    daemon,
    diagnostics,
    registry,
    tree,
    view,
    new CurrentSiteStatusBar(registry),
    daemon.onLog((line) => output.appendLine(logText(line))),
    ...new Commands(registry, daemon, output).register(),
  );
  const projects = registry;
  // The status bar needs the daemon's state; fetch it after activation has returned.
  setTimeout(() => void projects.load(), 0);
  return {
    projectState: (root) => projects.get(root)?.state ?? null,
    ready: () => projects.load(),
  };
}

/** Stops this window's servers and leaves hosts mode (unless disabled), so closing VS Code leaves nothing behind. */
export async function deactivate(): Promise<void> {
  await registry?.stopAll().catch(() => undefined);
  if (cleanUpOnExit()) await registry?.leaveHostsMode().catch(() => undefined);
}
