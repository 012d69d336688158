/**
 * What the views know about one Django project: its sites and state as the
 * daemon last reported them, or why it could not be read. The registry keeps
 * one per project; the tree, status bar and commands read them.
 */
import type { ProjectState, SharedProject, SitesResult } from '../../protocol/protocol';

export interface ProjectView {
  root: string;
  name: string;
  sites: SitesResult | null;
  state: ProjectState | null;
  /** Why the project could not be read, if it could not. */
  error: string | null;
  /** The other projects on its database, as the daemon last said. */
  sharedWith: SharedProject[];
  /** False for a project shown because it shares a database with one of the workspace's. */
  inWorkspace: boolean;
}
