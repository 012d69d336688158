/**
 * The Doctor view: each project's findings, errors first, with the file and
 * line to open and, where it is safe, a one-click fix; then the checks that
 * could not run, each with why. Empty only when every check ran and found
 * nothing: then a welcome line says so.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { interpreterMarkdown } from '../interpreterText';
import type { DoctorFinding, DoctorNotRun, DoctorReport } from '../../protocol/protocol';
import { lineIndex } from '../problems';
import { StableRows } from '../tree/stableRows';
import { treeItemLook } from '../tree/treeItemLook';
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

/**
 * A row's id: the same for as long as it means the same finding, so that a rerun finding the same
 * things redraws nothing and one whose wording changed redraws only that row (stableRows.ts: a
 * redrawn tree loses the click of a row's Apply Fix landing meanwhile).
 */
function rowId(node: DoctorNode): string {
  const root = node.report.project.root;
  if (node.kind === 'project') return root;
  if (node.kind === 'notRun') return `${root}\0not-run\0${node.notRun.code}`;
  const { code, file, line } = node.finding;
  const same = node.report.findings.filter((f) => f.code === code && f.file === file && f.line === line);
  return `${root}\0${code}\0${file ?? ''}:${line ?? ''}\0${same.indexOf(node.finding)}`;
}

function itemOf(node: DoctorNode): vscode.TreeItem {
  const item = node.kind === 'finding' ? findingItem(node.report, node.finding) : node.kind === 'notRun' ? notRunItem(node.notRun) : projectItem(node.report);
  item.id = rowId(node);
  return item;
}

function projectItem(report: DoctorReport): vscode.TreeItem {
  const item = new vscode.TreeItem(report.project.name, vscode.TreeItemCollapsibleState.Expanded);
  const notRun = report.notRun.length;
  item.description = `${report.findings.length} finding(s)${notRun ? `, ${notRun} check(s) not run` : ''}`;
  item.iconPath = new vscode.ThemeIcon('project');
  if (report.interpreter) item.tooltip = new vscode.MarkdownString(interpreterMarkdown(report.interpreter));
  return item;
}

/** Whether the report has anything to show: a finding, or a check that did not run. */
const hasLines = (report: DoctorReport): boolean => report.findings.length > 0 || report.notRun.length > 0;

export class DoctorView implements vscode.TreeDataProvider<DoctorNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<DoctorNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<DoctorNode>;
  private readonly subscriptions: vscode.Disposable[];
  private readonly rows = new StableRows<DoctorNode>({
    idOf: rowId,
    lookOf: (node) => treeItemLook(itemOf(node)),
    childrenOf: (node) => this.childrenNow(node),
  });

  constructor(private readonly results: DoctorResults) {
    this.view = vscode.window.createTreeView('multisiteLocal.doctor', { treeDataProvider: this });
    this.subscriptions = [this.view, this.changed, results.onDidChange(() => this.refresh())];
  }

  /** Redraws the rows that look different now, and nothing else. */
  refresh(): void {
    const count = this.results.all().reduce((n, r) => n + r.findings.filter((f) => f.severity !== 'info').length, 0);
    this.view.badge = count ? { value: count, tooltip: `${count} problem(s) found by the doctor` } : undefined;
    const redraw = this.rows.changes();
    if (redraw === undefined || redraw.length > 0) this.changed.fire(redraw);
  }

  getChildren(node?: DoctorNode): DoctorNode[] {
    return this.rows.children(node);
  }

  getTreeItem(node: DoctorNode): vscode.TreeItem {
    const item = itemOf(node);
    this.rows.drawn(node, treeItemLook(item));
    return item;
  }

  /** `node`'s children in the latest reports. */
  private childrenNow(node: DoctorNode | undefined): DoctorNode[] {
    if (node?.kind === 'project')
      return [
        ...node.report.findings.map((finding): DoctorNode => ({ kind: 'finding', report: node.report, finding })),
        ...node.report.notRun.map((notRun): DoctorNode => ({ kind: 'notRun', report: node.report, notRun })),
      ];
    if (node) return [];
    const reports = this.results.all().filter(hasLines);
    if (reports.length === 1) return this.childrenNow({ kind: 'project', report: reports[0] });
    return reports.map((report) => ({ kind: 'project', report }));
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
