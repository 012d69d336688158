/**
 * The doctor's commands (check, apply a finding's fix) and writing a
 * multisite.json from what was detected, for a project whose sites are not
 * found (the Sites view's welcome button). An existing file is opened, never
 * overwritten.
 */
import * as vscode from 'vscode';
import type { DoctorReport } from '../../protocol/protocol';
import { urlPort } from '../../protocol/domainUrl';
import { fixCommand } from '../doctor/doctorFixes';
import type { DoctorNode } from '../doctor/doctorView';
import type { ProjectView } from '../projects/projectRegistry';
import { preferredPort, routing, warmSites } from '../settings';
import { command, projectOf } from './commandContext';
import type { CommandContext } from './commandContext';

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/**
 * A multisite.json for `project`: its port, runner, warm sites and routing (only when one was chosen: the
 * project's default follows what its settings support), and each known site's Test and local domains.
 */
async function detectedConfig(project: ProjectView): Promise<Record<string, unknown>> {
  const root = vscode.Uri.file(project.root);
  const composeFiles = ['docker-compose.yml', 'docker-compose.yaml', 'compose.yaml', 'compose.yml'];
  const compose = (await Promise.all(composeFiles.map((f) => exists(vscode.Uri.joinPath(root, f))))).some(Boolean);
  const served = project.state?.server.url;
  const chosenRouting = project.sites?.options.routing ?? routing();
  const sites = Object.fromEntries(
    (project.sites?.sites ?? []).map((site) => [
      site.slug,
      { ...(site.domains.test ? { test: site.domains.test } : {}), local: site.domains.local.filter((d) => d !== site.domains.live) },
    ]),
  );
  return {
    port: project.sites?.options.port ?? (served ? urlPort(served) : preferredPort()),
    runner: project.sites?.options.runner ?? (compose ? 'compose' : 'local'),
    warmSites: project.sites?.options.warmSites ?? warmSites(),
    ...(chosenRouting ? { routing: chosenRouting } : {}),
    sites,
  };
}

export function doctorCommands(context: CommandContext): vscode.Disposable[] {
  const { registry, doctor } = context;
  return [
    command('runDoctor', async (): Promise<DoctorReport[]> => {
      await vscode.window.withProgress({ location: { viewId: 'multisiteLocal.doctor' }, title: 'Checking…' }, () => doctor.runAll());
      await vscode.commands.executeCommand('multisiteLocal.doctor.focus');
      return doctor.all();
    }),
    command('applyDoctorFix', async (node?: DoctorNode) => {
      const fix = node?.kind === 'finding' ? node.finding.fix : undefined;
      if (!node || !fix) return;
      const { command: id, arguments: args = [] } = fixCommand(fix, node.report.project.root);
      await vscode.commands.executeCommand(id, ...(args as unknown[]));
    }),
    command('createConfig', async (node?: { project?: { root: string } }) => {
      await registry.load();
      const project = projectOf(registry, node) ?? registry.all()[0];
      if (!project) {
        void vscode.window.showInformationMessage('Multi-Site: open a folder with a Django project (manage.py) first.');
        return undefined;
      }
      const file = vscode.Uri.joinPath(vscode.Uri.file(project.root), 'multisite.json');
      if (!(await exists(file))) {
        const text = `${JSON.stringify(await detectedConfig(project), null, 2)}\n`;
        await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(text));
      }
      await vscode.window.showTextDocument(file);
      return file.fsPath;
    }),
  ];
}
