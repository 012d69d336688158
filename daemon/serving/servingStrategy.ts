/**
 * How a project is served in SITE_ID mode, decided from what it supports and
 * what the person chose, with the reason in words (the tree's tooltip,
 * `status` and `sites --json` show it): through the local proxy with one
 * server for every site, each request served with its site's SITE_ID
 * (`siteIdPerRequest`, for settings that read SITE_ID from the environment and
 * pick the site by it, unless its self-check at start refused: then
 * `siteId`, one warm server per site with its SITE_ID) or one server for every site behind
 * Host rewriting (`host`, for projects whose framework picks the site by the
 * request's Host: django-multisite and django-multisite-plus in its
 * single-process mode, Wagtail, django-tenants; compose projects too), or the
 * classic restart of one server per switch (`restart`: `warmSites` 0, and
 * always in hosts mode, which needs the real domain names and port 80).
 * Route as the framework does: a SITE_ID read from the environment is only
 * the default outside requests where a Host-picking framework is installed.
 */
import type { ProxyRouting, ServingStrategy } from '../../protocol/protocol';
import type { RunnerKind } from '../runners/runner';

export interface StrategyInput {
  hostsMode: boolean;
  /** multisite.json's `warmSites`, else the client's setting. */
  warmSites: number;
  /** multisite.json's `routing`, when it names one. */
  routing: ProxyRouting | null;
  /** The routing the person chose (the setting, `--routing`), when they chose one; multisite.json wins. */
  chosenRouting: ProxyRouting | null;
  /** Why one server for every SITE_ID cannot serve this project (its self-check's sentence), or null. */
  perRequestRefused: string | null;
  runner: RunnerKind;
  /** Whether the settings read SITE_ID from the environment (so a forced SITE_ID reaches Django). */
  readsSiteIdFromEnvironment: boolean;
  /** What Django said picks the site by the request's Host (frameworkRouting.ts), or null. */
  hostPicks: string | null;
  /** What Django said picks the site by the SITE_ID of each process (multisite-plus multi-process), or null. */
  processPicks: string | null;
}

export interface StrategyChoice {
  strategy: ServingStrategy;
  reason: string;
}

export function chooseStrategy(input: StrategyInput): StrategyChoice {
  if (input.hostsMode) return { strategy: 'restart', reason: 'hosts mode serves the real domains from one server on the project’s port' };
  if (input.warmSites === 0) return { strategy: 'restart', reason: 'warmSites is 0: one server, restarted with the SITE_ID of each switch' };
  // One compose web service per project: its sites can only be told apart by Host.
  if (input.runner === 'compose') return { strategy: 'host', reason: 'one compose web service serves every site, told apart by Host' };
  const chosen = input.routing
    ? { strategy: input.routing, reason: `multisite.json says "routing": "${input.routing}"` }
    : input.chosenRouting && { strategy: input.chosenRouting, reason: `the routing setting is "${input.chosenRouting}"` };
  if (chosen) return perRequestOrRefused(chosen, input.perRequestRefused);
  const bySiteId = input.processPicks ?? (input.readsSiteIdFromEnvironment ? 'the settings read SITE_ID from the environment' : null);
  if (input.processPicks === null && input.hostPicks) return { strategy: 'host', reason: input.hostPicks };
  if (bySiteId) return perRequestOrRefused({ strategy: 'siteIdPerRequest', reason: bySiteId }, input.perRequestRefused);
  return { strategy: 'host', reason: 'the settings do not read SITE_ID from the environment: one server, the site picked by Host' };
}

/** One server for every SITE_ID, unless its self-check refused it: then a server per site, and the refusal is the reason. */
function perRequestOrRefused(choice: StrategyChoice, refused: string | null): StrategyChoice {
  if (choice.strategy !== 'siteIdPerRequest' || refused === null) return choice;
  return { strategy: 'siteId', reason: `one server for every site failed its self-check: ${refused}` };
}

export function servingStrategy(input: StrategyInput): ServingStrategy {
  return chooseStrategy(input).strategy;
}
