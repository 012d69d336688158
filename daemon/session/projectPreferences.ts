/**
 * How a project is to be served, as its client asked (the extension's
 * settings, the CLI's flags: port, warm sites, idle minutes, the sites' own
 * ports) merged with what its multisite.json says, which wins: the port, the
 * pool's bound and idle time, the sites' ports, and the serving strategy
 * (serving/servingStrategy.ts).
 */
import { DEFAULT_IDLE_MINUTES, DEFAULT_PORT, DEFAULT_WARM_SITES, PROXY_ROUTINGS } from '../../protocol/protocol';
import type { OpenProjectParams, ProxyRouting } from '../../protocol/protocol';
import { chooseStrategy } from '../serving/servingStrategy';
import type { StrategyChoice } from '../serving/servingStrategy';
import { hostPicks, processPicks } from '../sites/frameworkRouting';
import type { RunnerKind } from '../runners/runner';
import type { SiteConfig } from '../sites/siteConfig';

const isPortNumber = (value: unknown): value is number => Number.isInteger(value) && (value as number) > 0 && (value as number) < 65_536;

export class ProjectPreferences {
  private clientPort = DEFAULT_PORT;
  private clientWarmSites = DEFAULT_WARM_SITES;
  private idleMinutes = DEFAULT_IDLE_MINUTES;
  private clientSitePorts: number | false | null = null;
  private clientRouting: ProxyRouting | null = null;
  /** Why one server for every SITE_ID cannot serve the project (its self-check at start said so), until a restart tries again. */
  private perRequestRefused: string | null = null;

  /** Takes what a client's open request asks for; what it leaves out stays as it was. Says whether the routing chosen changed. */
  update(params: OpenProjectParams): boolean {
    const routing = this.clientRouting;
    if (params.port) this.clientPort = params.port;
    if (typeof params.warmSites === 'number' && Number.isInteger(params.warmSites) && params.warmSites >= 0) this.clientWarmSites = params.warmSites;
    if (typeof params.idleMinutes === 'number' && params.idleMinutes >= 0) this.idleMinutes = params.idleMinutes;
    if (params.sitePorts === false || params.sitePorts === null || isPortNumber(params.sitePorts)) this.clientSitePorts = params.sitePorts;
    if (params.routing === null || PROXY_ROUTINGS.includes(params.routing as ProxyRouting)) this.clientRouting = params.routing ?? null;
    return this.clientRouting !== routing;
  }

  /** One server for every SITE_ID failed its self-check (`sentence` says why): each site gets a server of its own until `retryPerRequest`. */
  refusePerRequest(sentence: string): void {
    this.perRequestRefused = sentence;
  }

  /** Why one server for every SITE_ID failed its self-check, while that stands. */
  get perRequestRefusal(): string | null {
    return this.perRequestRefused;
  }

  /** A restart tries one server for every SITE_ID again (the code that refused it may have changed). */
  retryPerRequest(): void {
    this.perRequestRefused = null;
  }

  /** Where the sites' own ports begin: a port, false (none), null (next to the proxy's). */
  sitePorts(config: SiteConfig | null): number | false | null {
    return config?.options.sitePorts ?? this.clientSitePorts;
  }

  /** The port to serve on (the proxy's, or the one server's). */
  port(config: SiteConfig | null): number {
    return config?.options.port ?? this.clientPort;
  }

  runner(config: SiteConfig | null): RunnerKind {
    return config?.options.runner ?? 'local';
  }

  /** How many backends stay warm behind the proxy (at least the current one). */
  warmSites(config: SiteConfig | null): number {
    return Math.max(1, config?.options.warmSites ?? this.clientWarmSites);
  }

  get idleMs(): number {
    return this.idleMinutes * 60_000;
  }

  /** How the project is served, and why (see serving/servingStrategy.ts). */
  strategy(config: SiteConfig | null, hostsMode: boolean): StrategyChoice {
    return chooseStrategy({
      hostsMode,
      warmSites: config?.options.warmSites ?? this.clientWarmSites,
      routing: config?.options.routing ?? null,
      chosenRouting: this.clientRouting,
      perRequestRefused: this.perRequestRefused,
      runner: this.runner(config),
      readsSiteIdFromEnvironment: config?.servingFacts.siteIdFromEnvironment != null,
      hostPicks: hostPicks(config?.django ?? null),
      processPicks: processPicks(config?.django ?? null),
    });
  }
}
