/**
 * What `multisite-local doctor` prints for people: one line per finding,
 * severity, check, where and the sentence, in columns:
 *   error    allowed-hosts   proj/settings.py:28  ALLOWED_HOSTS (...) does not match ...
 * Files inside the project are shown relative to it, others (the hosts file) in full.
 */
import * as path from 'node:path';
import { requestedModeName } from '../protocol/modeName';
import type { DoctorFinding, DoctorReport } from '../protocol/protocol';

/** `file:line` for people, `-` when the finding is about no file. */
export function findingPlace(finding: DoctorFinding, root: string): string {
  if (!finding.file) return '-';
  const relative = path.relative(root, finding.file);
  const shown = relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : finding.file;
  return finding.line ? `${shown}:${finding.line}` : shown;
}

export function formatDoctorReport(report: DoctorReport): string {
  if (report.findings.length === 0) return `No problems found in ${report.project.name} for ${requestedModeName(report.mode, null)}.`;
  const rows = report.findings.map((f) => [f.severity, f.code, findingPlace(f, report.project.root), f.message]);
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i].length)));
  return rows.map((row) => row.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]) : cell)).join('  ')).join('\n');
}

/** Whether the report holds a finding that stops the project from being served right (exit code 1). */
export function hasErrors(report: DoctorReport): boolean {
  return report.findings.some((f) => f.severity === 'error');
}
