/**
 * What reading a project's sites found wrong, as diagnostics with a file and
 * line: the one collector every source of the sites reports through, with the
 * codes the doctor lists them by and each place labelled as people name it.
 */
import * as path from 'node:path';
import type { ConfigDiagnostic, DoctorCode, Severity } from '../../protocol/protocol';
import { endSentence } from '../base/sentence';
import type { Report } from './settingValues';

export interface ConfigDiagnostics {
  readonly diagnostics: ConfigDiagnostic[];
  report: Report;
  /** What keeps the project from being served at all (configGate.ts). */
  error: (message: string, file: string | null, line: number | null) => void;
  /** Two sources saying different things of one site. */
  disagree: (severity: Severity, message: string, file: string | null, line: number | null) => void;
  /** `file` (absolute) relative to the project, with its line: `proj/settings.py:4`. */
  label: (file: string, line: number) => string;
}

export function configDiagnostics(root: string): ConfigDiagnostics {
  const diagnostics: ConfigDiagnostic[] = [];
  const report = (severity: Severity, message: string, file: string | null, line: number | null, code?: DoctorCode): void =>
    void diagnostics.push({ severity, message, file, line, ...(code ? { code } : {}) });
  // What keeps the project from being served at all (configGate.ts): the doctor lists these too.
  const error = (message: string, file: string | null, line: number | null): void => report('error', endSentence(message), file, line, 'config-error');
  // Two sources saying different things of one site: the doctor lists these too.
  const disagree = (severity: Severity, message: string, file: string | null, line: number | null): void =>
    report(severity, message, file, line, 'sources-disagree');
  // Each file's relative path once: every one of thousands of sites is labelled with its file.
  const relative = new Map<string, string>();
  const label = (file: string, line: number): string => {
    let shown = relative.get(file);
    if (shown === undefined) relative.set(file, (shown = path.relative(root, file)));
    return `${shown}:${line}`;
  };
  return { diagnostics, report, error, disagree, label };
}
