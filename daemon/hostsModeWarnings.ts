import * as path from 'node:path';
import type { SitesResult } from './protocol';

/**
 * What stands in the way of hosts mode, one sentence each: a SITE_ID the project
 * forces itself (with the file and line to fix), and the user's own hosts lines
 * for the same names (left alone, but they may win).
 */
export function hostsModeWarnings(config: SitesResult, root: string, hostsFile: string, foreign: readonly { line: number; name: string; text: string }[]): string[] {
  const warnings = foreign.map((f) => `${hostsFile} line ${f.line} already maps ${f.name} ("${f.text.trim()}"); that line was left as it is and may win.`);
  const forced = config.forcedSiteId;
  if (forced) {
    warnings.unshift(
      `${path.relative(root, forced.file)}:${forced.line} forces SITE_ID=${forced.value}, which breaks hosts mode: every request is served as that site whatever its domain. Remove it there to let the Host header choose.`,
    );
  }
  return warnings;
}
