/**
 * The problems the daemon found reading a project's sites (settings, multisite.json),
 * shown in the Problems panel. Remembers which files each project has diagnostics
 * on, so that a re-read of the project clears the ones it no longer finds.
 */
import type * as vscode from 'vscode';
import type { SitesResult } from '../../protocol/protocol';
import { diagnosticOf, publishByFile } from '../problems';

export class ProjectDiagnostics {
  /** Files each project has diagnostics on, so a re-read can clear them. */
  private readonly diagnosedFiles = new Map<string, vscode.Uri[]>();

  constructor(private readonly diagnostics: vscode.DiagnosticCollection) {}

  publish(result: SitesResult): void {
    const root = result.project.root;
    // A diagnostic with a code is one of the doctor's findings too, and the doctor's own collection shows it.
    const uncoded = result.diagnostics.filter((d) => !d.code);
    this.diagnosedFiles.set(
      root,
      publishByFile(this.diagnostics, this.diagnosedFiles.get(root) ?? [], uncoded, (d) => diagnosticOf(d)),
    );
  }
}
