/**
 * One log channel per project ("Multi-Site: <project>"), with VS Code's levels
 * and timestamps, and one for the extension itself. Server lines are written
 * verbatim; only their level is inferred, so a person can filter to errors.
 */
import * as vscode from 'vscode';
import type { LogLine } from '../../daemon/protocol/protocol';
import { levelOf, logText } from './logLevel';

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
