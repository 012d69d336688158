/**
 * Changing how requests find their site: hosts mode (checked by the doctor
 * first: an error-level finding asks before going on), SITE_ID mode, and
 * cleaning up every hosts entry of ours.
 */
import * as vscode from 'vscode';
import { requestedModeName } from '../../client/modeName';
import type { RoutingMode } from '../../protocol/protocol';
import { doctorBeforeModeChange } from '../settings';
import type { SitesNode } from '../tree/sitesNodes';
import { command, projectOf, reportFailure, requireTrust } from './commandContext';
import type { CommandContext } from './commandContext';

export function modeCommands(context: CommandContext): vscode.Disposable[] {
  const { registry, doctor } = context;

  /** The doctor's errors for `mode`, and whether the person wants to go on anyway. */
  const checkedFirst = async (root: string, name: string, mode: RoutingMode): Promise<boolean> => {
    if (mode !== 'hosts' || !doctorBeforeModeChange()) return true;
    const report = await doctor.run(root, mode);
    const errors = report?.findings.filter((f) => f.severity === 'error') ?? [];
    if (errors.length === 0) return true;
    const choice = await vscode.window.showWarningMessage(
      `Hosts mode would not work for ${name} yet.`,
      { modal: true, detail: errors.map((f) => `• ${f.message}`).join('\n') },
      'Use Hosts Mode Anyway',
      'Show Doctor',
    );
    if (choice === 'Show Doctor') await vscode.commands.executeCommand('multisiteLocal.doctor.focus');
    return choice === 'Use Hosts Mode Anyway';
  };

  const setMode = async (node: SitesNode | undefined, mode: RoutingMode): Promise<void> => {
    const project = projectOf(registry, node);
    if (!project || !(await requireTrust('Changing the mode'))) return;
    if (!(await checkedFirst(project.root, project.name, mode))) return;
    const label = requestedModeName(mode, project.state);
    try {
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Multi-Site: switching ${project.name} to ${label}…` }, () =>
        registry.setMode(project.root, mode),
      );
      // What the mode's notes say is in the status bar's tooltip and the Doctor view; no notification to dismiss.
      await doctor.run(project.root);
    } catch (error) {
      await reportFailure(context, `Could not switch ${project.name} to ${label}`, error, project);
    }
  };

  return [
    command('useHostsMode', (node?: SitesNode) => setMode(node, 'hosts')),
    command('useEnvMode', (node?: SitesNode) => setMode(node, 'env')),
    command('cleanUpHosts', async () => {
      try {
        const changes = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Removing hosts entries…' }, () =>
          registry.cleanUp(),
        );
        const changed = changes.filter((c) => c.changed).map((c) => c.file);
        // Nothing to act on: a status bar message, not a notification.
        vscode.window.setStatusBarMessage(
          changed.length ? `$(check) Removed our hosts entries from ${changed.join(', ')}` : '$(check) No hosts entries of ours were left',
          5000,
        );
        await doctor.runAll();
        return changed;
      } catch (error) {
        void vscode.window.showErrorMessage(`Could not clean up the hosts entries: ${(error as Error).message}`);
        return undefined;
      }
    }),
  ];
}
