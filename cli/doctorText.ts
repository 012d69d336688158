/**
 * What `multisite-local doctor` prints for people: one line per finding,
 * severity, check, where and the sentence, in columns:
 *   error    allowed-hosts   proj/settings.py:28  ALLOWED_HOSTS (...) does not match ...
 * Files inside the project are shown relative to it, others (the hosts file) in full.
 * Checks that could not run follow, as `not run` lines with why.
 */
import * as path from 'node:path';
import { requestedModeName } from '../client/modeName';
import type { DoctorFinding, DoctorReport } from '../protocol/protocol';

/** `file:line` for people, `-` when the finding is about no file. */
export function findingPlace(finding: DoctorFinding, root: string): string {
  if (!finding.file) return '-';
  const relative = path.relative(root, finding.file);
  const shown = relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : finding.file;
  return finding.line ? `${shown}:${finding.line}` : shown;
}

export function formatDoctorReport(report: DoctorReport): string {
  // "No problems found" only when every check ran: one that did not run found nothing, it did not pass.
  const notRun = report.notRun;
  if (report.findings.length === 0 && notRun.length === 0) return `No problems found in ${report.project.name} for ${requestedModeName(report.mode, null)}.`;
  const rows = [
    ...report.findings.map((f) => [f.severity, f.code, findingPlace(f, report.project.root), f.message]),
    ...notRun.map((n) => ['not run', n.code, '-', n.reason]),
  ];
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i].length)));
  const lines = rows.map((row) => row.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]) : cell)).join('  '));
  if (report.findings.length === 0)
    lines.unshift(
      `The checks that ran found nothing in ${report.project.name} for ${requestedModeName(report.mode, null)}, but ${notRun.length === 1 ? 'one' : notRun.length} could not run:`,
    );
  return lines.join('\n');
}

/** Whether the report holds a finding that stops the project from being served right (exit code 1). */
export function hasErrors(report: DoctorReport): boolean {
  return report.findings.some((f) => f.severity === 'error');
}
