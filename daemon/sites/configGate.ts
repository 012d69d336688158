/**
 * What a project's config must be before the daemon changes anything for it.
 * Serving needs a config without errors: settings Python would refuse, JSON
 * that does not parse, two sites with one id, a multisite.json that says
 * nothing usable. Serving from what could still be read would be serving
 * another project than the one configured (Django cannot even import broken
 * settings). Hosts entries also need every configured domain to be one: the
 * hosts file gets the project's names whole or not at all. A refusal is one
 * sentence naming the first problem and where to fix it; nothing is changed.
 * Stopping, leaving hosts mode and removing entries are never refused.
 */
import * as path from 'node:path';
import { DaemonError } from '../base/daemonError';
import { DaemonErrorCode } from '../../protocol/protocol';
import type { ConfigDiagnostic, SitesResult } from '../../protocol/protocol';
import { asClause } from '../base/sentence';

/** The diagnostics that make a project unservable: the doctor's config-error check lists them too. */
export function configErrors(config: Pick<SitesResult, 'diagnostics'>): ConfigDiagnostic[] {
  return config.diagnostics.filter((d) => d.severity === 'error');
}

/** The configured domains the domain gate refused (domainGate.ts): the doctor's invalid-domain check lists them too. */
export function refusedDomains(config: Pick<SitesResult, 'diagnostics'>): ConfigDiagnostic[] {
  return config.diagnostics.filter((d) => d.code === 'invalid-domain');
}

/** `demo/settings.py:28` (relative to the project when inside it), or null for a problem in no file (the Sites table). */
function placeOf(diagnostic: ConfigDiagnostic, root: string): string | null {
  if (!diagnostic.file) return null;
  const relative = path.relative(root, diagnostic.file);
  const shown = relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : diagnostic.file;
  return diagnostic.line ? `${shown}:${diagnostic.line}` : shown;
}

function refusal(config: SitesResult, outcome: string, problem: ConfigDiagnostic): DaemonError {
  const place = placeOf(problem, config.project.root) ?? 'its config';
  return new DaemonError(DaemonErrorCode.ConfigInvalid, `${config.project.name} ${outcome} until ${place} is fixed: ${asClause(problem.message)}.`);
}

/** `config`, when the project may be served from it; else the refusal naming its first error. */
export function servableConfig<T extends SitesResult>(config: T): T {
  const [error] = configErrors(config);
  if (error) throw refusal(config, 'cannot be served', error);
  return config;
}

/** `config`, when every name it gives the hosts file is what was configured; else the refusal naming the first problem. */
export function hostsReadyConfig<T extends SitesResult>(config: T): T {
  const [problem] = [...configErrors(config), ...refusedDomains(config)];
  if (problem) throw refusal(config, 'gets no hosts entries', problem);
  return config;
}
