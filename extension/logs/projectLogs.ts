/**
 * One log channel per project ("Multi-Site: <project>"), with VS Code's levels
 * and timestamps, and one for the extension itself. Server lines are written
 * verbatim; only their level is inferred, so a person can filter to errors.
 * A window that opens a project the daemon already serves starts its channel
 * with the project's recent lines (RecentLogs), each with the time it was
 * said, in the same local clock as the channel's own stamps.
 */
import * as vscode from 'vscode';
import type { LogLine } from '../../protocol/protocol';
import { earlierText, levelOf, lineKey, logText } from './logLevel';

export class ProjectLogs implements vscode.Disposable {
  /** The extension's own channel: the daemon connection, doctor runs, anything not about one project. */
  readonly main = vscode.window.createOutputChannel('Django Multi-Site Local', { log: true });
  private readonly channels = new Map<string, vscode.LogOutputChannel>();
  /** Projects whose recent lines were asked for in this window: once each. */
  private readonly replayed = new Set<string>();
  /** Lines written before a project's recent lines arrived, so that those are not shown twice. */
  private readonly early = new Map<string, Set<string>>();

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
    if (!this.replayed.has(line.root)) {
      const seen = this.early.get(line.root) ?? new Set<string>();
      this.early.set(line.root, seen.add(lineKey(line)));
    }
    this.of(line.root, name)[levelOf(line)](logText(line));
  }

  /**
   * Starts the project's channel with what the daemon kept of its log (`recent`, fetched once per
   * project and window): a window opened later shows what the server said before, not nothing.
   */
  async replay(root: string, name: string, recent: () => Promise<LogLine[]>): Promise<void> {
    if (this.replayed.has(root)) return;
    this.replayed.add(root);
    let lines: LogLine[];
    try {
      lines = await recent();
    } catch (error) {
      this.early.delete(root);
      this.main.warn(`could not read the recent log lines of ${name}: ${(error as Error).message}`);
      return;
    }
    const seen = this.early.get(root) ?? new Set<string>();
    this.early.delete(root);
    const earlier = lines.filter((line) => !seen.has(lineKey(line)));
    if (earlier.length === 0) return;
    const channel = this.of(root, name);
    channel.info(`${earlier.length} earlier line(s) of ${name}, said before this window opened; each with its own time:`);
    for (const line of earlier) channel[levelOf(line)](earlierText(line));
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
