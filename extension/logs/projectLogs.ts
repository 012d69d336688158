/**
 * One log channel per project ("Multi-Site: <project>"), with VS Code's levels
 * and timestamps, and one for the extension itself. Server lines are written
 * verbatim; only their level is inferred, so a person can filter to errors.
 */
import * as vscode from 'vscode';
import type { LogLine } from '../../daemon/protocol/protocol';

/** Django's runserver writes its request lines to stderr: the level comes from what a line says, not its stream. */
export function levelOf(line: LogLine): 'error' | 'warn' | 'info' {
  if (line.stream === 'daemon') return /\b(failed|could not|cannot|refused)\b/i.test(line.text) ? 'warn' : 'info';
  if (/^Traceback |^\w+(Error|Exception)\b|^\s*(ERROR|CRITICAL)\b/.test(line.text)) return 'error';
  // A request line: `"GET / HTTP/1.1" 500 1234`.
  const status = /" (\d{3}) \d+$/.exec(line.text)?.[1];
  if (status?.startsWith('5')) return 'error';
  if (status?.startsWith('4') || /^\s*WARNING\b/.test(line.text)) return 'warn';
  return 'info';
}

/** The text as the channel shows it: the daemon's own lines marked, a warm backend's labelled with its site. */
export function logText(line: LogLine): string {
  const source = line.source ? `[${line.source}] ` : '';
  return line.stream === 'daemon' ? `[multisite] ${source}${line.text}` : `${source}${line.text}`;
}

export class ProjectLogs implements vscode.Disposable {
  /** The extension's own channel: the daemon connection, doctor runs, anything not about one project. */
  readonly main = vscode.window.createOutputChannel('Django Multi-Site Local', { log: true });
  private readonly channels = new Map<string, vscode.LogOutputChannel>();

  /** The channel of the project at `root`, created on its first line. */
  of(root: string, name: string): vscode.LogOutputChannel {
    let channel = this.channels.get(root);
    if (!channel) {
      channel = vscode.window.createOutputChannel(`Multi-Site: ${name}`, { log: true });
      this.channels.set(root, channel);
    }
    return channel;
  }

  write(line: LogLine, name: string): void {
    this.of(line.root, name)[levelOf(line)](logText(line));
  }

  /** Shows the project's channel, or the extension's own when there is no project. */
  show(project?: { root: string; name: string }): void {
    (project ? this.of(project.root, project.name) : this.main).show(true);
  }

  dispose(): void {
    this.main.dispose();
    for (const channel of this.channels.values()) channel.dispose();
  }
}
