/**
 * How a project is served in SITE_ID mode, decided from what it supports and
 * what the person chose: through the local proxy with one warm server per
 * site (`siteId`, for settings that read SITE_ID from the environment) or one
 * server for every site behind Host rewriting (`host`, for projects that
 * route by domain, compose projects among them), or the classic restart of
 * one server per switch (`restart`: `warmSites` 0, and always in hosts mode,
 * which needs the real domain names and port 80).
 */
import type { ProxyRouting, ServingStrategy } from '../protocol/protocol';
import type { RunnerKind } from '../runners/runner';

export interface StrategyInput {
  hostsMode: boolean;
  /** multisite.json's `warmSites`, else the client's setting. */
  warmSites: number;
  /** multisite.json's `routing`, when it names one. */
  routing: ProxyRouting | null;
  runner: RunnerKind;
  /** Whether the settings read SITE_ID from the environment (so a forced SITE_ID reaches Django). */
  readsSiteIdFromEnvironment: boolean;
}

export function servingStrategy(input: StrategyInput): ServingStrategy {
  if (input.hostsMode || input.warmSites === 0) return 'restart';
  // One compose web service per project: its sites can only be told apart by Host.
  if (input.runner === 'compose') return 'host';
  if (input.routing) return input.routing;
  return input.readsSiteIdFromEnvironment ? 'siteId' : 'host';
}
