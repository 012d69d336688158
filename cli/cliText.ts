/**
 * What the CLI prints for people (without --json): the sites as a table, the
 * config problems with their file and line, a project's state in one line.
 */
import * as path from 'node:path';
import type { BackendState, ProjectState, SitesResult } from '../protocol/protocol';
import { modeName } from '../client/modeName';
import { proxyRoutingPhrase } from '../client/proxyRoutingText';
import { siteLabel } from '../protocol/siteLabel';
import { interpreterLine } from './interpreterText';
import { describeSettings } from './settingsText';
import { nothingFoundText } from '../client/sitesSearchText';

export function formatSites(result: SitesResult): string {
  // The ADDRESS column while the project is served through the local proxy.
  const here = result.sites.some((s) => s.localhostUrl);
  // The OWN PORT column while sites have ports of their own (issue 25).
  const ownPorts = result.sites.some((s) => s.portUrl);
  const rows = result.sites.map((s) => [
    String(s.id ?? '?'),
    s.slug,
    s.name ?? '',
    s.domains.live ?? '',
    s.domains.test ?? '',
    ...(here ? [s.localhostUrl ?? ''] : []),
    ...(ownPorts ? [s.portUrl ?? ''] : []),
  ]);
  const header = ['ID', 'SLUG', 'NAME', 'LIVE', 'TEST', ...(here ? ['ADDRESS'] : []), ...(ownPorts ? ['OWN PORT'] : [])];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const none = hasConfigErrors(result) ? `No sites could be read in ${result.project.root}: the errors above say why.` : nothingFoundText(result);
  return rows.length ? [line(header), ...rows.map(line)].join('\n') : none;
}

/**
 * Whether the project's config has an error (settings Python refuses, JSON that does not parse,
 * two sites with one id): the daemon serves nothing from it until it is fixed, so listing it is a
 * failure to report, whatever could still be listed.
 */
export function hasConfigErrors(result: SitesResult): boolean {
  return result.diagnostics.some((d) => d.severity === 'error');
}

export function printDiagnostics(result: SitesResult): void {
  for (const d of result.diagnostics) {
    const where = d.file ? `${path.relative(process.cwd(), d.file) || d.file}${d.line ? `:${d.line}` : ''}: ` : '';
    process.stderr.write(`${where}${d.severity}: ${d.message}\n`);
  }
}

export function describeState(state: ProjectState): string {
  const forced = state.mode === 'env' && state.strategy !== 'host' && state.currentSite ? ` (SITE_ID=${state.currentSite.id})` : '';
  const site = state.currentSite ? `${siteLabel(state.currentSite)}${forced}` : 'no site';
  const server =
    state.server.phase === 'running' ? `running at ${state.server.url}${state.server.pid ? ` (pid ${state.server.pid})` : ''}` : state.server.phase;
  const hosts = state.hostsFile ? `, hosts entries in ${state.hostsFile}` : '';
  const lines = [`${state.project.name}: ${site}, ${modeName(state)}${hosts}, server ${server}${state.server.error ? `\n  ${state.server.error}` : ''}`];
  const python = interpreterLine(state.interpreter);
  if (python) lines.push(`  ${python}`);
  const settings = describeSettings(state.settings);
  if (settings) lines.push(`  ${settings}`);
  if (state.debugging)
    lines.push(
      `  debugging ${state.debugging.site}: debugpy listens on 127.0.0.1:${state.debugging.port}${state.debugging.pid ? ` (pid ${state.debugging.pid})` : ''}`,
    );
  if (state.strategy !== 'restart') {
    lines.push(`  ${proxyRoutingPhrase(state.strategy, state.routingReason)}; warm backends:${state.backends.length ? '' : ' none'}`);
    for (const b of state.backends) lines.push(`    ${describeBackend(b)}`);
  }
  return lines.join('\n');
}

function describeBackend(backend: BackendState): string {
  const memory = backend.rssBytes === null ? '' : `, ${Math.round(backend.rssBytes / (1 << 20))} MB`;
  const where = backend.url ? ` at ${backend.url}` : '';
  const pid = backend.pid ? ` (pid ${backend.pid}${memory})` : '';
  return `${backend.label}: ${backend.phase}${where}${pid}${backend.error ? ` - ${backend.error}` : ''}`;
}

/** Seconds for what takes seconds, milliseconds for what a warm switch takes. */
export function formatElapsed(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
