/**
 * What a project session gets from the daemon (the resources it owns for every
 * project) and tells it (state, sites and log lines, sent on to clients).
 */
import type { HostsModeResources } from '../hosts/hostsMode';
import type { LogLine, PreviewBlockedParams, ProjectState, SitesResult } from '../../protocol/protocol';
import type { SitePortBook } from '../proxy/sitePortBook';
import type { ProjectCode } from '../runners/projectCode';

/** What the daemon owns and a session uses: hosts mode's resources, the journaled runs of the project's code, the sites' ports. */
export interface SessionResources extends HostsModeResources {
  /** The project's code run once for an answer (Sites table, probes, migrate), in the process journal while it runs. */
  projectCode: ProjectCode;
  /** The port each site of each project answers on of its own (issue 25). */
  portBook: SitePortBook;
}

export interface SessionEvents {
  stateChanged(state: ProjectState): void;
  sitesChanged(result: SitesResult): void;
  previewBlocked(params: PreviewBlockedParams): void;
  log(line: LogLine): void;
}
