/**
 * What in the project stands in the way of hosts mode: a SITE_ID it forces
 * itself, in one sentence with the file and line to fix. Hosts mode's notes and
 * the doctor's forced-site-id check say it the same way. (The user's own hosts
 * lines for the same names are reported by the hosts entries.)
 */
import * as path from 'node:path';
import type { SitesResult } from '../../protocol/protocol';

export interface ForcedSiteIdWarning {
  message: string;
  file: string;
  line: number;
}

/** The forced SITE_ID as hosts mode sees it; null when the project forces none. */
export function forcedSiteIdWarning(config: SitesResult, root: string): ForcedSiteIdWarning | null {
  const forced = config.forcedSiteId;
  if (!forced) return null;
  return {
    message: `${path.relative(root, forced.file)}:${forced.line} forces SITE_ID=${forced.value}, which breaks hosts mode (every request is served as that site whatever its domain): remove it there to let the Host header choose.`,
    file: forced.file,
    line: forced.line,
  };
}

export function hostsModeWarnings(config: SitesResult, root: string): string[] {
  const warning = forcedSiteIdWarning(config, root);
  return warning ? [warning.message] : [];
}
