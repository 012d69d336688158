/**
 * Choosing the settings module a project runs with (issue 23): a quick pick of
 * the module in use and the others beside it (as the daemon found them), the
 * project's own, or another typed in. The choice is the
 * `multisiteLocal.settingsModule` setting of the project's folder, so it lasts
 * and shows where settings are edited; the registry re-opens the project when
 * it changes, and the daemon reads and serves it again with that module.
 */
import * as vscode from 'vscode';
import { isModuleName } from '../../protocol/settingsModuleName';
import { settingsModuleFor } from '../settings';
import { command, projectOf } from './commandContext';
import type { CommandContext } from './commandContext';

interface ModulePick extends vscode.QuickPickItem {
  /** The module to choose; null: the project's own; undefined: ask for a name. */
  module: string | null | undefined;
}

export function settingsCommands(context: CommandContext): vscode.Disposable[] {
  const { registry } = context;
  return [
    command('chooseSettingsModule', async (node?: { project?: { root: string } }) => {
      await registry.load();
      const project = projectOf(registry, node);
      if (!project) {
        void vscode.window.showInformationMessage('Multi-Site: open a folder with a Django project (manage.py) first.');
        return;
      }
      const info = project.sites?.settings;
      const chosen = settingsModuleFor(project.root);
      const modules = [...new Set([...(info?.module ? [info.module] : []), ...(info?.others ?? [])])];
      const items: ModulePick[] = [
        ...modules.map((module) => ({
          module,
          label: `${module === info?.module ? '$(check)' : '$(file-code)'} ${module}`,
          description: module === info?.module ? `in use${info.from ? `, from ${info.from}` : ''}` : undefined,
        })),
        ...(chosen
          ? [{ module: null, label: '$(discard) The project’s own', description: 'clear the setting: multisite.json, .env or manage.py decides' }]
          : []),
        { module: undefined, label: '$(edit) Another module…' },
      ];
      const picked = await vscode.window.showQuickPick(items, { title: `Settings module for ${project.name}`, placeHolder: 'Run the project with…' });
      if (!picked) return;
      let module = picked.module;
      if (module === undefined) {
        module = await vscode.window.showInputBox({
          title: `Settings module for ${project.name}`,
          prompt: 'A dotted Python module, as DJANGO_SETTINGS_MODULE takes it',
          value: info?.module ?? '',
          validateInput: (text) => (isModuleName(text.trim()) ? null : 'A dotted Python module, such as mysite.settings.local.'),
        });
        if (module === undefined) return;
        module = module.trim();
      }
      const uri = vscode.Uri.file(project.root);
      // The project's folder when it is one of the workspace's; else the workspace (a project shown for sharing a database).
      const target = vscode.workspace.getWorkspaceFolder(uri) ? vscode.ConfigurationTarget.WorkspaceFolder : vscode.ConfigurationTarget.Workspace;
      await vscode.workspace.getConfiguration('multisiteLocal', uri).update('settingsModule', module ?? undefined, target);
    }),
  ];
}
