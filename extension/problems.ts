/** A daemon's finding as a VS Code diagnostic on its line (the Problems panel and the editor's squiggles). */
import * as vscode from 'vscode';
import type { Severity } from '../protocol/protocol';

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** A finding's 1-based line (null: unknown) as the 0-based line VS Code counts; the first line when unknown. */
export function lineIndex(line: number | null): number {
  return Math.max(0, (line ?? 1) - 1);
}

export function diagnosticOf(finding: { severity: Severity; message: string; line: number | null }, code?: string): vscode.Diagnostic {
  const line = lineIndex(finding.line);
  const diagnostic = new vscode.Diagnostic(new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER), finding.message, SEVERITY[finding.severity]);
  diagnostic.source = 'Multi-Site';
  if (code) diagnostic.code = code;
  return diagnostic;
}

/** Sets `findings` (grouped by file) in `collection`, replacing what `previous` set; returns the files now set. */
export function publishByFile<T extends { file: string | null }>(
  collection: vscode.DiagnosticCollection,
  previous: readonly vscode.Uri[],
  findings: readonly T[],
  toDiagnostic: (finding: T) => vscode.Diagnostic,
): vscode.Uri[] {
  for (const uri of previous) collection.delete(uri);
  const byFile = new Map<string, vscode.Diagnostic[]>();
  for (const finding of findings) {
    if (finding.file) byFile.set(finding.file, [...(byFile.get(finding.file) ?? []), toDiagnostic(finding)]);
  }
  return [...byFile].map(([file, list]) => {
    const uri = vscode.Uri.file(file);
    collection.set(uri, list);
    return uri;
  });
}
