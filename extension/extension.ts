/**
 * Composition root: wires the daemon connection, the project registry, the
 * Sites and Doctor views, the status bar, the logs and the commands. No I/O
 * here: the daemon is reached the first time a view or a command needs it.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { RecentLogs } from '../protocol/protocol';
import type { DoctorReport, ProjectState } from '../protocol/protocol';
import { SiteBrowser } from './browser/siteBrowser';
import { windowAddresses } from './browser/windowAddresses';
import type { CommandContext } from './commands/commandContext';
import { databaseCommands } from './commands/databaseCommands';
import { debugCommands, serveUnderDebugpy } from './commands/debugCommands';
import { doctorCommands } from './commands/doctorCommands';
import { modeCommands } from './commands/modeCommands';
import { serverCommands } from './commands/serverCommands';
import { settingsCommands } from './commands/settingsCommands';
import { siteCommands } from './commands/siteCommands';
import { DaemonConnection } from './daemonConnection';
import { SiteDebugConfigurations } from './debug/debugConfigurations';
import { OWN_DEBUG_TYPE } from './debug/attachArguments';
import { OwnDebugAdapter, followServers } from './debug/siteDebugger';
import { SiteTerminals } from './debug/siteTerminals';
import { DoctorQuickFixes } from './doctor/doctorFixes';
import { DoctorResults } from './doctor/doctorResults';
import { DoctorView } from './doctor/doctorView';
import { ProjectLogs } from './logs/projectLogs';
import { ProjectRegistry } from './projects/projectRegistry';
import { SelectedInterpreters } from './python/selectedInterpreters';
import { cleanUpOnExit } from './settings';
import { CurrentSiteStatusBar } from './statusBar';
import { SitesTreeProvider } from './tree/sitesTree';

/** What the extension exports, for other extensions and for its own tests. */
export interface MultisiteLocalApi {
  projectState(root: string): ProjectState | null;
  doctorReport(root: string): DoctorReport | null;
  /** How long activate() took, in milliseconds (its own work; the bundle's loading is VS Code's). */
  activationMs: number;
  ready(): Promise<void>;
}

let registry: ProjectRegistry | undefined;

export function activate(context: vscode.ExtensionContext): MultisiteLocalApi {
  const started = performance.now();
  const logs = new ProjectLogs();
  const daemon = new DaemonConnection(context.extensionPath, logs.main);
  const diagnostics = vscode.languages.createDiagnosticCollection('multisiteLocal');
  const selections = new SelectedInterpreters();
  const projects = new ProjectRegistry(daemon, diagnostics, logs.main, selections);
  registry = projects;
  const doctor = new DoctorResults(projects, daemon, logs.main);
  const commands: CommandContext = { registry: projects, daemon, logs, browser: new SiteBrowser(), doctor };
  context.subscriptions.push(
    logs,
    daemon,
    windowAddresses,
    diagnostics,
    selections,
    projects,
    doctor,
    new SitesTreeProvider(projects),
    new DoctorView(doctor),
    new CurrentSiteStatusBar(projects),
    new SiteTerminals(projects, context.environmentVariableCollection),
    vscode.debug.registerDebugAdapterDescriptorFactory(OWN_DEBUG_TYPE, new OwnDebugAdapter()),
    followServers(),
    // In launch.json's list, and in Run and Debug's without one (F5).
    ...[vscode.DebugConfigurationProviderTriggerKind.Initial, vscode.DebugConfigurationProviderTriggerKind.Dynamic].map((trigger) =>
      vscode.debug.registerDebugConfigurationProvider(
        OWN_DEBUG_TYPE,
        new SiteDebugConfigurations(projects, (target) => serveUnderDebugpy(commands, target)),
        trigger,
      ),
    ),
    vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, new DoctorQuickFixes(doctor), { providedCodeActionKinds: DoctorQuickFixes.kinds }),
    daemon.onLog((line) => logs.write(line, projects.get(line.root)?.name ?? path.basename(line.root))),
    // A window opened later starts each project's log with what the daemon kept of it.
    projects.onDidOpen(({ root, name }) => void logs.replay(root, name, async () => (await daemon.get()).sendRequest(RecentLogs.type, { root }))),
    ...siteCommands(commands),
    ...serverCommands(commands),
    ...modeCommands(commands),
    ...doctorCommands(commands),
    ...databaseCommands(commands),
    ...debugCommands(commands),
    ...settingsCommands(commands),
  );
  // The status bar needs the daemon's state; fetch it after activation has returned.
  setTimeout(() => void projects.load(), 0);
  const activationMs = performance.now() - started;
  logs.main.info(`activated in ${activationMs.toFixed(1)} ms`);
  return {
    projectState: (root) => projects.get(root)?.state ?? null,
    doctorReport: (root) => doctor.report(root) ?? null,
    activationMs,
    ready: () => projects.load(),
  };
}

/** Stops this window's servers and leaves hosts mode (unless disabled), so closing VS Code leaves nothing behind. */
export async function deactivate(): Promise<void> {
  await registry?.stopAll().catch(() => undefined);
  if (cleanUpOnExit()) await registry?.leaveHostsMode().catch(() => undefined);
}
