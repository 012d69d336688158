/**
 * The doctor's one-click fixes, from the Doctor view and as quick fixes on
 * the findings' lines. Only safe remedies are offered (DoctorFix): leaving
 * hosts mode, removing the hosts entries of ours, or populating
 * django-multisite-plus's empty table as a deployment does.
 */
import * as vscode from 'vscode';
import type { DoctorFix } from '../../protocol/protocol';
import type { DoctorResults } from './doctorResults';

/** The command that applies `fix` for the project at `root`. */
export function fixCommand(fix: DoctorFix, root: string): vscode.Command {
  const project = [{ kind: 'project', project: { root } }];
  switch (fix.kind) {
    case 'useEnvMode':
      return { title: fix.title, command: 'multisiteLocal.useEnvMode', arguments: project };
    case 'cleanUpHosts':
      return { title: fix.title, command: 'multisiteLocal.cleanUpHosts', arguments: [] };
    case 'populateSites':
      return { title: fix.title, command: 'multisiteLocal.populateSites', arguments: project };
  }
}

export class DoctorQuickFixes implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly results: DoctorResults) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    return context.diagnostics.flatMap((diagnostic) => {
      if (diagnostic.source !== 'Multi-Site') return [];
      const { root, finding } = this.results.findingFor(document.uri, diagnostic) ?? {};
      if (!finding?.fix || !root) return [];
      const action = new vscode.CodeAction(finding.fix.title, vscode.CodeActionKind.QuickFix);
      action.diagnostics = [diagnostic];
      action.command = fixCommand(finding.fix, root);
      action.isPreferred = true;
      return [action];
    });
  }
}
