/**
 * The Doctor view: each project's findings, errors first, with the file and
 * line to open and, where it is safe, a one-click fix; then the checks that
 * could not run, each with why. Empty only when every check ran and found
 * nothing: then a welcome line says so.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { interpreterMarkdown } from '../interpreterText';
import type { DoctorFinding, DoctorNotRun, DoctorReport } from '../../daemon/protocol/protocol';
import { lineIndex } from '../problems';
import type { DoctorResults } from './doctorResults';

export type DoctorNode =
  | { kind: 'project'; report: DoctorReport }
  | { kind: 'finding'; report: DoctorReport; finding: DoctorFinding }
  | { kind: 'notRun'; report: DoctorReport; notRun: DoctorNotRun };

const ICON: Record<DoctorFinding['severity'], vscode.ThemeIcon> = {
  error: new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground')),
  warning: new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')),
  info: new vscode.ThemeIcon('info', new vscode.ThemeColor('problemsInfoIcon.foreground')),
};

function findingItem(report: DoctorReport, finding: DoctorFinding): vscode.TreeItem {
  const item = new vscode.TreeItem(finding.message, vscode.TreeItemCollapsibleState.None);
  const where = finding.file ? `${path.relative(report.project.root, finding.file) || finding.file}${finding.line ? `:${finding.line}` : ''}` : null;
  item.description = [finding.code, where].filter(Boolean).join(' · ');
  item.iconPath = ICON[finding.severity];
  item.tooltip = new vscode.MarkdownString(`**${finding.code}** (${finding.severity})\n\n${finding.message}${where ? `\n\n${where}` : ''}`);
  item.contextValue = `finding${finding.fix ? `.fix.${finding.fix.kind}` : ''}`;
  if (finding.file) {
    const line = lineIndex(finding.line);
    item.command = {
      command: 'vscode.open',
      title: 'Open',
      arguments: [vscode.Uri.file(finding.file), { selection: new vscode.Range(line, 0, line, 0) }],
    };
  }
  return item;
}

/** A check that could not run: said as such, never left out (the view is empty only when every check ran). */
function notRunItem(notRun: DoctorNotRun): vscode.TreeItem {
  const item = new vscode.TreeItem(notRun.reason, vscode.TreeItemCollapsibleState.None);
  item.description = `${notRun.code} · not run`;
  item.iconPath = new vscode.ThemeIcon('circle-slash');
  item.tooltip = new vscode.MarkdownString(`**${notRun.code}** (not run)\n\n${notRun.reason}`);
  item.contextValue = 'notRun';
  return item;
}

/** Whether the report has anything to show: a finding, or a check that did not run. */
const hasLines = (report: DoctorReport): boolean => report.findings.length > 0 || report.notRun.length > 0;

export class DoctorView implements vscode.TreeDataProvider<DoctorNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<DoctorNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<DoctorNode>;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly results: DoctorResults) {
    this.view = vscode.window.createTreeView('multisiteLocal.doctor', { treeDataProvider: this });
    this.subscriptions = [this.view, this.changed, results.onDidChange(() => this.refresh())];
  }

  refresh(): void {
    const count = this.results.all().reduce((n, r) => n + r.findings.filter((f) => f.severity !== 'info').length, 0);
    this.view.badge = count ? { value: count, tooltip: `${count} problem(s) found by the doctor` } : undefined;
    this.changed.fire(undefined);
  }

  getChildren(node?: DoctorNode): DoctorNode[] {
    if (node?.kind === 'project')
      return [
        ...node.report.findings.map((finding): DoctorNode => ({ kind: 'finding', report: node.report, finding })),
        ...node.report.notRun.map((notRun): DoctorNode => ({ kind: 'notRun', report: node.report, notRun })),
      ];
    if (node) return [];
    const reports = this.results.all().filter(hasLines);
    if (reports.length === 1) return this.getChildren({ kind: 'project', report: reports[0] });
    return reports.map((report) => ({ kind: 'project', report }));
  }

  getTreeItem(node: DoctorNode): vscode.TreeItem {
    if (node.kind === 'finding') return findingItem(node.report, node.finding);
    if (node.kind === 'notRun') return notRunItem(node.notRun);
    const item = new vscode.TreeItem(node.report.project.name, vscode.TreeItemCollapsibleState.Expanded);
    const notRun = node.report.notRun.length;
    item.description = `${node.report.findings.length} finding(s)${notRun ? `, ${notRun} check(s) not run` : ''}`;
    item.iconPath = new vscode.ThemeIcon('project');
    if (node.report.interpreter) item.tooltip = new vscode.MarkdownString(interpreterMarkdown(node.report.interpreter));
    return item;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
