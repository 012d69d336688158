/** The Sites view's icons: one per site phase, one per project server phase. */
import * as vscode from 'vscode';
import type { ServerPhase } from '../../protocol/protocol';
import type { SitePhase } from './sitesNodes';

const passed = new vscode.ThemeColor('testing.iconPassed');
const failed = new vscode.ThemeColor('testing.iconFailed');

export function siteIcon(phase: SitePhase): vscode.ThemeIcon {
  switch (phase) {
    case 'current':
      return new vscode.ThemeIcon('pass-filled', passed);
    case 'warm':
      return new vscode.ThemeIcon('vm-running', passed);
    case 'starting':
      return new vscode.ThemeIcon('loading~spin');
    case 'failed':
      return new vscode.ThemeIcon('error', failed);
    case 'stopped':
      return new vscode.ThemeIcon('circle-large-outline');
  }
}

export function projectIcon(phase: ServerPhase | undefined, error: boolean): vscode.ThemeIcon {
  if (error || phase === 'failed') return new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
  if (phase === 'running') return new vscode.ThemeIcon('server-process', passed);
  if (phase === 'starting') return new vscode.ThemeIcon('loading~spin');
  return new vscode.ThemeIcon('server');
}

/** Words for each phase, for tooltips and screen readers. */
export const PHASE_WORDS: Record<SitePhase, string> = {
  current: 'current site, serving',
  warm: 'warm: answers at once',
  starting: 'starting',
  failed: 'failed to start',
  stopped: 'not running',
};
