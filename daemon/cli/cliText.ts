/**
 * What the CLI prints for people (without --json): the sites as a table, the
 * config problems with their file and line, a project's state in one line.
 */
import * as path from 'node:path';
import type { ProjectState, SitesResult } from '../protocol/protocol';
import { siteLabel } from '../protocol/siteLabel';

export function formatSites(result: SitesResult): string {
  const rows = result.sites.map((s) => [String(s.id ?? '?'), s.slug, s.name ?? '', s.domains.live ?? '', s.domains.test ?? '']);
  const header = ['ID', 'SLUG', 'NAME', 'LIVE', 'TEST'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const body = rows.length ? [line(header), ...rows.map(line)].join('\n') : `No sites found in ${result.project.root}.`;
  return body;
}

export function printDiagnostics(result: SitesResult): void {
  for (const d of result.diagnostics) {
    const where = d.file ? `${path.relative(process.cwd(), d.file) || d.file}${d.line ? `:${d.line}` : ''}: ` : '';
    process.stderr.write(`${where}${d.severity}: ${d.message}\n`);
  }
}

export function describeState(state: ProjectState): string {
  const forced = state.mode === 'env' && state.currentSite ? ` (SITE_ID=${state.currentSite.id})` : '';
  const site = state.currentSite ? `${siteLabel(state.currentSite)}${forced}` : 'no site';
  const server =
    state.server.phase === 'running' ? `running at ${state.server.url}${state.server.pid ? ` (pid ${state.server.pid})` : ''}` : state.server.phase;
  const hosts = state.hostsFile ? `, hosts entries in ${state.hostsFile}` : '';
  return `${state.project.name}: ${site}, mode ${state.mode}${hosts}, server ${server}${state.server.error ? `\n  ${state.server.error}` : ''}`;
}
