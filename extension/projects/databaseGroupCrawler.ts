/**
 * Follows the projects sharing a database with the workspace's, through other
 * such projects, and adds those that are not workspace folders to the window
 * (declared in a multisite.json's `sharedDatabase`, or found by their settings
 * among the daemon's open projects), so a whole group starts and stops from one
 * window. Asking the daemon runs the projects' Python, so this runs after the
 * views show what is known, and gives up once a newer reload started.
 */
import type * as vscode from 'vscode';
import { GetDatabaseGroup } from '../../protocol/protocol';
import type { DaemonConnection } from '../daemonConnection';
import type { ProjectView } from './projectView';

/** How far the window follows projects sharing a database through other such projects, and how many it shows at most. */
const MAX_GROUP_DEPTH = 3;
const MAX_PROJECTS = 50;

/** What the crawler needs of the registry: its live projects, and a say when they change. */
export interface DatabaseGroupHost {
  /** The registry's projects now (a reload replaces the map). */
  projects(): Map<string, ProjectView>;
  /** The registry's reload count: work for an older reload is dropped. */
  generation(): number;
  /** Opens a project that is not a workspace folder. */
  openOutside(root: string): Promise<ProjectView>;
  changed(): void;
}

export class DatabaseGroupCrawler {
  constructor(
    private readonly daemon: DaemonConnection,
    private readonly log: vscode.LogOutputChannel,
    private readonly host: DatabaseGroupHost,
  ) {}

  /**
   * Asks the daemon which projects share the database of each of `views`, and shows those that are
   * not workspace folders too. `prune`: after a full reload, forget outside projects no group names any more.
   */
  async crawl(views: ProjectView[], generation: number, prune = false): Promise<void> {
    let pending = views;
    for (let depth = 0; pending.length > 0 && depth < MAX_GROUP_DEPTH; depth++) {
      const changed = (await Promise.all(pending.map((view) => this.readGroup(view)))).some(Boolean);
      if (generation !== this.host.generation()) return;
      const missing = [...new Set(pending.flatMap((v) => v.sharedWith.map((s) => s.root)))].filter((root) => !this.host.projects().has(root));
      pending = await Promise.all(missing.slice(0, MAX_PROJECTS - this.host.projects().size).map((root) => this.host.openOutside(root)));
      if (generation !== this.host.generation()) return;
      for (const view of pending) this.host.projects().set(view.root, view);
      // Only what changed redraws the views: a redraw under the pointer can swallow a click.
      if (changed || pending.length > 0) this.host.changed();
    }
    if (prune) {
      const all = [...this.host.projects().values()];
      const named = new Set(all.flatMap((p) => p.sharedWith.map((s) => s.root)));
      const gone = all.filter((p) => !p.inWorkspace && !named.has(p.root) && p.state?.server.phase !== 'running');
      for (const view of gone) this.host.projects().delete(view.root);
      if (gone.length > 0) this.host.changed();
    }
  }

  /** Reads which projects share `view`'s database; true when that changed. */
  private async readGroup(view: ProjectView): Promise<boolean> {
    if (view.error !== null) return false;
    try {
      const connection = await this.daemon.get();
      const { sharedWith } = await connection.sendRequest(GetDatabaseGroup.type, { root: view.root });
      const changed = JSON.stringify(sharedWith) !== JSON.stringify(view.sharedWith);
      view.sharedWith = sharedWith;
      return changed;
    } catch (error) {
      this.log.warn(`could not tell which projects share the database of ${view.name}: ${(error as Error).message}`);
      return false;
    }
  }
}
