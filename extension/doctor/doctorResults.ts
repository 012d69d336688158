/**
 * The doctor's latest findings for each project of the window, run by the
 * daemon (project/doctor) when a project is read, its sites or mode change,
 * or a person asks. Findings with a file show in the Problems panel on their
 * line; all of them show in the Doctor view.
 */
import * as vscode from 'vscode';
import { requestedModeName } from '../../client/modeName';
import { RunDoctor } from '../../protocol/protocol';
import type { DoctorFinding, DoctorReport, RoutingMode } from '../../protocol/protocol';
import type { DaemonConnection } from '../daemonConnection';
import type { ProjectRegistry } from '../projects/projectRegistry';
import { diagnosticOf, lineIndex, publishByFile } from '../problems';
import { hostsFileSetting } from '../settings';

export class DoctorResults implements vscode.Disposable {
  private readonly reports = new Map<string, DoctorReport>();
  private readonly published = new Map<string, vscode.Uri[]>();
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('multisiteLocal.doctor');
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  /** The mode each project was last checked in: a change of mode checks again. */
  private readonly checkedMode = new Map<string, RoutingMode>();
  /** The last run started for each project: an earlier run that ends after it checked what was, and is not shown. */
  private readonly latestRun = new Map<string, number>();
  private runs = 0;

  constructor(
    private readonly registry: ProjectRegistry,
    private readonly daemon: DaemonConnection,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscriptions = [
      this.diagnostics,
      this.changed,
      registry.onDidChange(() => this.checkChanged()),
      daemon.onSitesChanged((result) => void this.run(result.project.root)),
    ];
  }

  /** Projects whose mode differs from the one their findings are about (or that were never checked). */
  private checkChanged(): void {
    // A folder that left the window takes its findings along.
    for (const root of [...this.reports.keys()].filter((r) => !this.registry.get(r))) {
      for (const uri of this.published.get(root) ?? []) this.diagnostics.delete(uri);
      this.reports.delete(root);
      this.published.delete(root);
      this.checkedMode.delete(root);
      this.latestRun.delete(root);
      this.changed.fire();
    }
    for (const project of this.registry.all()) {
      if (!project.sites || !project.state) continue;
      if (this.checkedMode.get(project.root) !== project.state.mode) void this.run(project.root);
    }
  }

  report(root: string): DoctorReport | undefined {
    return this.reports.get(root);
  }

  all(): DoctorReport[] {
    return [...this.reports.values()];
  }

  /** Checks the project (for `mode`, default its current one) and shows the findings; returns them. */
  async run(root: string, mode?: RoutingMode): Promise<DoctorReport | undefined> {
    const project = this.registry.get(root);
    if (!project?.sites) return undefined;
    const current = project.state?.mode ?? 'env';
    const checked = mode ?? current;
    // Asking about another mode (before a change) answers a question; only the current mode's findings are shown.
    const run = ++this.runs;
    if (checked === current) {
      this.checkedMode.set(root, checked);
      this.latestRun.set(root, run);
    }
    try {
      const connection = await this.daemon.get();
      const started = performance.now();
      const report = await connection.sendRequest(RunDoctor.type, { root, mode: checked, hostsFile: hostsFileSetting() });
      this.log.info(
        `doctor checked ${project.name} for ${requestedModeName(checked, project.state)}: ${report.findings.length} finding(s), ${report.notRun.length} check(s) not run, in ${Math.round(performance.now() - started)} ms`,
      );
      if (checked === current && this.latestRun.get(root) === run) this.show(report);
      return report;
    } catch (error) {
      this.log.error(`the doctor could not check ${project.name}: ${(error as Error).message}`);
      return undefined;
    }
  }

  private show(report: DoctorReport): void {
    const root = report.project.root;
    this.reports.set(root, report);
    const toDiagnostic = (finding: DoctorFinding): vscode.Diagnostic => diagnosticOf(finding, finding.code);
    this.published.set(root, publishByFile(this.diagnostics, this.published.get(root) ?? [], report.findings, toDiagnostic));
    // The view's "No problems found" welcome is shown only once a report says so (never before one came).
    void vscode.commands.executeCommand('setContext', 'multisiteLocal.doctorReported', true);
    this.changed.fire();
  }

  /**
   * The finding a diagnostic of ours shows, and its project. (Code actions receive copies of the
   * diagnostics, so they are matched by what they say and where.)
   */
  findingFor(uri: vscode.Uri, diagnostic: vscode.Diagnostic): { root: string; finding: DoctorFinding } | undefined {
    for (const report of this.reports.values()) {
      const finding = report.findings.find(
        (f) => f.file === uri.fsPath && f.code === diagnostic.code && f.message === diagnostic.message && lineIndex(f.line) === diagnostic.range.start.line,
      );
      if (finding) return { root: report.project.root, finding };
    }
    return undefined;
  }

  /** Checks every project of the window again. */
  async runAll(): Promise<void> {
    await this.registry.load();
    await Promise.all(this.registry.all().map((p) => this.run(p.root)));
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
