/**
 * The extension's link to the shared daemon: connected lazily on first use,
 * reconnected (starting a new daemon) after a crash, but at most 5 times in
 * 3 minutes, like vscode-languageclient; then the user is offered a restart.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { MessageConnection } from '../daemon/protocol/wire';
import { connectToDaemon } from '../daemon/protocol/daemonClient';
import type { DaemonLink } from '../daemon/protocol/daemonLink';
import { DaemonHome } from '../daemon/protocol/daemonHome';
import { ProjectStateChanged, ServerLog, SitesChanged } from '../daemon/protocol/protocol';
import type { LogLine, ProjectState, SitesResult } from '../daemon/protocol/protocol';

const MAX_CRASHES = 5;
const CRASH_WINDOW_MS = 3 * 60_000;

export class DaemonConnection implements vscode.Disposable {
  private link: DaemonLink | null = null;
  private connecting: Promise<DaemonLink> | null = null;
  private crashes: number[] = [];
  private disposed = false;
  private readonly stateChanged = new vscode.EventEmitter<ProjectState>();
  private readonly sitesChanged = new vscode.EventEmitter<SitesResult>();
  private readonly logLine = new vscode.EventEmitter<LogLine>();
  private readonly reconnected = new vscode.EventEmitter<void>();
  /** A project's state changed in the daemon (any client may have caused it). */
  readonly onStateChanged = this.stateChanged.event;
  /** A project's config files changed and the daemon read its sites again. */
  readonly onSitesChanged = this.sitesChanged.event;
  readonly onLog = this.logLine.event;
  /** A new daemon is up after a crash: clients must open their projects again. */
  readonly onReconnected = this.reconnected.event;

  constructor(
    private readonly extensionDir: string,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  /** The live connection, connecting (and starting the daemon) if needed. */
  async get(): Promise<MessageConnection> {
    if (this.link) return this.link.connection;
    this.connecting ??= this.connect().finally(() => (this.connecting = null));
    return (await this.connecting).connection;
  }

  private async connect(): Promise<DaemonLink> {
    const link = await connectToDaemon({
      home: new DaemonHome(),
      daemonScript: path.join(this.extensionDir, 'dist', 'daemon.js'),
      autoStart: true,
    });
    link.connection.onNotification(ProjectStateChanged.type, (state) => this.stateChanged.fire(state));
    link.connection.onNotification(SitesChanged.type, (result) => this.sitesChanged.fire(result));
    link.connection.onNotification(ServerLog.type, (line) => this.logLine.fire(line));
    this.link = link;
    void link.closed.then(() => this.onClosed(link));
    return link;
  }

  private onClosed(link: DaemonLink): void {
    if (this.link !== link) return; // replaced on purpose
    this.link = null;
    if (this.disposed) return;
    const now = Date.now();
    this.crashes = [...this.crashes.filter((t) => now - t < CRASH_WINDOW_MS), now];
    this.output.warn(`daemon connection lost (${this.crashes.length} in the last 3 minutes)`);
    if (this.crashes.length >= MAX_CRASHES) {
      void vscode.window
        .showErrorMessage('The Multi-Site daemon stopped 5 times in 3 minutes and will not be restarted automatically.', 'Restart Daemon', 'Show Log')
        .then((choice) => {
          if (choice === 'Restart Daemon') void this.restart();
          if (choice === 'Show Log') this.output.show();
        });
      return;
    }
    void this.reconnect();
  }

  private async reconnect(): Promise<void> {
    try {
      await this.get();
      this.reconnected.fire();
    } catch (error) {
      this.output.error(`could not reconnect to the daemon: ${(error as Error).message}`);
    }
  }

  /** Forgets past crashes and connects again (starting a daemon if none runs). */
  async restart(): Promise<void> {
    this.crashes = [];
    const old = this.link;
    this.link = null;
    old?.dispose();
    await this.reconnect();
  }

  dispose(): void {
    this.disposed = true;
    this.link?.dispose();
    this.stateChanged.dispose();
    this.sitesChanged.dispose();
    this.logLine.dispose();
    this.reconnected.dispose();
  }
}
