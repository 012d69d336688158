import * as path from 'node:path';
import type { SitesResult } from '../protocol/protocol';

/**
 * What in the project stands in the way of hosts mode, one sentence each: a
 * SITE_ID it forces itself, with the file and line to fix. (The user's own
 * hosts lines for the same names are reported by the hosts entries.)
 */
export function hostsModeWarnings(config: SitesResult, root: string): string[] {
  const forced = config.forcedSiteId;
  if (!forced) return [];
  return [
    `${path.relative(root, forced.file)}:${forced.line} forces SITE_ID=${forced.value}, which breaks hosts mode: every request is served as that site whatever its domain. Remove it there to let the Host header choose.`,
  ];
}
