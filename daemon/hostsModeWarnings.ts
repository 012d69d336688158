import * as path from 'node:path';
import type { SitesResult } from './protocol';

/** What in the project itself defeats hosts mode, with the file and line to fix. */
export function hostsModeWarnings(config: SitesResult, root: string): string[] {
  const forced = config.forcedSiteId;
  if (!forced) return [];
  return [
    `${path.relative(root, forced.file)}:${forced.line} forces SITE_ID=${forced.value}, which breaks hosts mode: every request is served as that site whatever its domain. Remove it there to let the Host header choose.`,
  ];
}
