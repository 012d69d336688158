/**
 * The extension's link to the shared daemon: connected lazily on first use,
 * reconnected at once (starting a new daemon) when the connection drops, but
 * at most 5 times in 3 minutes, like vscode-languageclient; then the user is
 * offered a restart. A daemon started after one that stopped unexpectedly
 * has undone what that one left (orphaned servers, hosts entries): the first
 * client to connect gets its report, and this one shows it once.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { MessageConnection } from '../protocol/wire';
import { connectToDaemon, takeRecoveryReport } from '../client/daemonClient';
import type { DaemonLink } from '../client/daemonLink';
import { DaemonHome } from '../home/daemonHome';
import { PreviewBlocked, ProjectStateChanged, ServerLog, SitesChanged } from '../protocol/protocol';
import type { LogLine, PreviewBlockedParams, ProjectState, SitesResult } from '../protocol/protocol';

const MAX_CRASHES = 5;
const CRASH_WINDOW_MS = 3 * 60_000;

export class DaemonConnection implements vscode.Disposable {
  private link: DaemonLink | null = null;
  private connecting: Promise<DaemonLink> | null = null;
  private crashes: number[] = [];
  private disposed = false;
  /** Set once a connection was made: every later one is to a daemon that knows nothing of this window's projects. */
  private connectedBefore = false;
  private readonly stateChanged = new vscode.EventEmitter<ProjectState>();
  private readonly sitesChanged = new vscode.EventEmitter<SitesResult>();
  private readonly logLine = new vscode.EventEmitter<LogLine>();
  private readonly previewBlocked = new vscode.EventEmitter<PreviewBlockedParams>();
  private readonly reconnected = new vscode.EventEmitter<void>();
  private readonly disconnected = new vscode.EventEmitter<void>();
  /** A project's state changed in the daemon (any client may have caused it). */
  readonly onStateChanged = this.stateChanged.event;
  /** A project's config files changed and the daemon read its sites again. */
  readonly onSitesChanged = this.sitesChanged.event;
  readonly onLog = this.logLine.event;
  /** A site's preview keeps no cookie in its frame: its login would fail there. */
  readonly onPreviewBlocked = this.previewBlocked.event;
  /** A new daemon is up after a crash: clients must open their projects again. */
  readonly onReconnected = this.reconnected.event;
  /** The connection dropped: what the daemon said about its projects no longer holds. */
  readonly onDisconnected = this.disconnected.event;

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
    link.connection.onNotification(PreviewBlocked.type, (params) => this.previewBlocked.fire(params));
    this.link = link;
    void link.closed.then(() => this.onClosed(link));
    void this.tellRecovery(link);
    // However it came about (at once after a crash, or on the next use after giving up), the
    // projects must be opened again before anything else is asked about them.
    if (this.connectedBefore) this.reconnected.fire();
    this.connectedBefore = true;
    return link;
  }

  /** What the daemon's start-up recovery undid after one stopped unexpectedly, shown once (the daemon tells only the first client). */
  private async tellRecovery(link: DaemonLink): Promise<void> {
    const report = await takeRecoveryReport(link);
    if (!report) return;
    this.output.info(report.message);
    void vscode.window.showInformationMessage(`Multi-Site: ${report.message}`);
  }

  private onClosed(link: DaemonLink): void {
    if (this.link !== link) return; // replaced on purpose
    this.link = null;
    if (this.disposed) return;
    this.disconnected.fire();
    const now = Date.now();
    this.crashes = [...this.crashes.filter((t) => now - t < CRASH_WINDOW_MS), now];
    this.output.warn(`daemon connection lost (${this.crashes.length} in the last 3 minutes)`);
    if (this.crashes.length >= MAX_CRASHES) {
      this.offerRestart(`The Multi-Site daemon stopped ${MAX_CRASHES} times in 3 minutes and will not be restarted automatically.`);
      return;
    }
    void this.reconnect();
  }

  private async reconnect(): Promise<void> {
    try {
      await this.get();
    } catch (error) {
      const reason = (error as Error).message;
      this.output.error(`could not reconnect to the daemon: ${reason}`);
      this.offerRestart(`The Multi-Site daemon stopped and could not be started again: ${reason}`);
    }
  }

  private offerRestart(message: string): void {
    void vscode.window.showErrorMessage(message, 'Restart Daemon', 'Show Log').then((choice) => {
      if (choice === 'Restart Daemon') void this.restart();
      if (choice === 'Show Log') this.output.show();
    });
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
    this.previewBlocked.dispose();
    this.reconnected.dispose();
    this.disconnected.dispose();
  }
}
