/**
 * The hosts file: a project's entries, the blocks this product wrote, and cleaning up.
 */
import { RequestType } from './wire';
import type { ProjectParams } from './protocol.project';

export interface HostsParams {
  hostsFile?: string | null;
  /** Compute and show the change without writing anything. */
  dryRun?: boolean;
}

export interface ProjectHostsParams extends HostsParams, ProjectParams {}

export interface HostsEdit {
  file: string;
  changed: boolean;
  /** Unified diff of the file (empty when unchanged). */
  diff: string;
  notes: string[];
}

export interface HostsListing {
  file: string;
  blocks: { root: string; names: string[] }[];
}

/** client -> daemon: write the project's hosts entries (no mode change). */
export namespace ApplyHosts {
  export const method = 'hosts/apply' as const;
  export const type = new RequestType<ProjectHostsParams, HostsEdit, void>(method);
}

/** client -> daemon: remove the project's hosts entries (no mode change). */
export namespace RemoveHosts {
  export const method = 'hosts/remove' as const;
  export const type = new RequestType<ProjectHostsParams, HostsEdit, void>(method);
}

/** client -> daemon: the blocks this product has in a hosts file. */
export namespace ShowHosts {
  export const method = 'hosts/show' as const;
  export const type = new RequestType<HostsParams, HostsListing, void>(method);
}

/** client -> daemon: remove every block this product wrote (all projects) and leave hosts mode everywhere. */
export namespace CleanUp {
  export const method = 'hosts/cleanup' as const;
  export const type = new RequestType<HostsParams, HostsEdit[], void>(method);
}
