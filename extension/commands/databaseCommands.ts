/**
 * Commands on projects that share one database: start or stop the whole
 * group, and apply a project's migrations (which the daemon refuses while
 * the group's migrations differ; the doctor says where).
 */
import * as vscode from 'vscode';
import { ResponseError } from '../../daemon/protocol/wire';
import { DaemonErrorCode } from '../../daemon/protocol/protocol';
import type { SitesNode } from '../tree/sitesNodes';
import { command, projectOf, reportFailure, requireTrust } from './commandContext';
import type { CommandContext } from './commandContext';
import { startEach } from './serverCommands';

export function databaseCommands(context: CommandContext): vscode.Disposable[] {
  const { registry } = context;
  const groupOf = (node?: SitesNode) => {
    const project = projectOf(registry, node);
    return project ? registry.group(project.root) : [];
  };
  return [
    command('startGroup', (node?: SitesNode) => startEach(context, groupOf(node))),
    command('stopGroup', (node?: SitesNode) =>
      Promise.all(groupOf(node).map((p) => registry.stop(p.root).catch((error: Error) => reportFailure(context, `Could not stop ${p.name}`, error, p)))),
    ),
    command('migrate', async (node?: SitesNode) => {
      const project = projectOf(registry, node);
      if (!project || !(await requireTrust('Migrating a database'))) return undefined;
      context.logs.show(project); // its output streams there
      try {
        const result = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: `Migrating the database of ${project.name}…` },
          () => registry.migrate(project.root),
        );
        vscode.window.setStatusBarMessage(`$(check) Migrated the database of ${project.name} (${(result.elapsedMs / 1000).toFixed(1)} s)`, 5000);
        return result;
      } catch (error) {
        if (error instanceof ResponseError && error.code === DaemonErrorCode.SchemaDrift) {
          const choice = await vscode.window.showErrorMessage(error.message, 'Show Doctor');
          if (choice) await vscode.commands.executeCommand('multisiteLocal.doctor.focus');
          return undefined;
        }
        await reportFailure(context, `Could not migrate ${project.name}`, error, project);
        return undefined;
      }
    }),
  ];
}
