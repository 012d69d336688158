/**
 * `start` and `restart`: serve a project without naming a site (its current
 * one, else its first), for launching and stopping projects one by one. Like
 * `switch`, a start of a project whose database is shared with projects of
 * other migrations is refused until `--yes` confirms it.
 */
import * as path from 'node:path';
import type { MessageConnection } from '../protocol/wire';
import { GetProjectState, StopServer, SwitchSite } from '../protocol/protocol';
import type { SitesResult, SwitchResult } from '../protocol/protocol';
import { urlPort } from '../protocol/domainUrl';

export interface StartOptions {
  root: string;
  /** A site to serve; default the current one, else the first. */
  site: string | null;
  restart: boolean;
  confirmed: boolean;
}

/** Why a project has no site to start: a config error that kept its sites from being read (the first, with its place), or none declared. */
function nothingToServe(project: SitesResult): string {
  const error = project.diagnostics.find((d) => d.severity === 'error');
  if (!error) return `${project.project.name} declares no sites to serve.`;
  const where = error.file ? ` until ${path.relative(project.project.root, error.file)}${error.line ? `:${error.line}` : ''} is fixed` : '';
  return `${project.project.name} cannot be served${where}: ${error.message.replace(/\.$/, '')}.`;
}

/** What `start --json` prints: the switch's result and the port it answers on. */
export type StartResult = SwitchResult & { port: number };

export async function startProject(connection: MessageConnection, project: SitesResult, options: StartOptions): Promise<StartResult> {
  const state = await connection.sendRequest(GetProjectState.type, { root: options.root });
  const site = options.site ?? state.currentSite?.slug ?? project.sites[0]?.slug;
  if (site === undefined) throw new Error(nothingToServe(project));
  if (options.restart) await connection.sendRequest(StopServer.type, { root: options.root });
  const result = await connection.sendRequest(SwitchSite.type, { root: options.root, site, confirmed: options.confirmed });
  return { ...result, port: urlPort(result.url) };
}
