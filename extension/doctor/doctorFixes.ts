/**
 * The doctor's one-click fixes, from the Doctor view and as quick fixes on
 * the findings' lines. Only safe remedies are offered (DoctorFix): leaving
 * hosts mode, or removing the hosts entries of ours.
 */
import * as vscode from 'vscode';
import type { DoctorFix } from '../../daemon/protocol/protocol';
import type { DoctorResults } from './doctorResults';

/** The command that applies `fix` for the project at `root`. */
export function fixCommand(fix: DoctorFix, root: string): vscode.Command {
  return {
    title: fix.title,
    command: fix.kind === 'useEnvMode' ? 'multisiteLocal.useEnvMode' : 'multisiteLocal.cleanUpHosts',
    arguments: fix.kind === 'useEnvMode' ? [{ kind: 'project', project: { root } }] : [],
  };
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
