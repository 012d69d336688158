/**
 * Commands on a project's database and the projects sharing it: start or
 * stop the whole group, apply a project's migrations (which the daemon
 * refuses while the group's migrations differ; the doctor says where), and
 * Populate Sites, which writes the sites the settings declare into
 * django-multisite-plus's empty table (the view fills from the daemon's read
 * after it). Both writes stream their output to the project's log.
 */
import * as vscode from 'vscode';
import { ResponseError } from '../../protocol/wire';
import { DaemonErrorCode } from '../../protocol/protocol';
import type { SitesNode } from '../tree/sitesNodes';
import { needsPopulate } from '../tree/sitesNodes';
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
    command('populateSites', async (node?: SitesNode) => {
      await registry.load();
      // From the welcome content or the palette: the project whose table is empty.
      const project = node ? projectOf(registry, node) : (registry.all().find(needsPopulate) ?? registry.primary());
      if (!project || !(await requireTrust('Populating sites'))) return undefined;
      context.logs.show(project); // its output streams there
      try {
        const result = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: `Populating the sites of ${project.name}…` },
          () => registry.populateSites(project.root),
        );
        vscode.window.setStatusBarMessage(`$(check) Populated the sites of ${project.name} (${(result.elapsedMs / 1000).toFixed(1)} s)`, 5000);
        return result;
      } catch (error) {
        await reportFailure(context, `Could not populate the sites of ${project.name}`, error, project);
        return undefined;
      }
    }),
  ];
}
