/**
 * One project's hosts mode inside its session: whether it is on and where its
 * entries are, entering and leaving it through the policy in hostsMode.ts
 * (its state set and put back with the outside changes), and what hosts mode
 * means for a served site: its own domain in URLs and in the readiness probe.
 * What to serve before and after a mode change is the session's decision, so
 * entering takes the serving steps from the caller.
 */
import type { Site } from '../../protocol/protocol';
import { domainHost, domainUrl } from '../../protocol/domainUrl';
import { hostFor, readyDomain } from '../proxy/siteAddresses';
import type { RunnerKind, StartRequest } from '../runners/runner';
import type { SiteConfig } from '../sites/siteConfig';
import { enterHostsMode, leaveHostsMode } from './hostsMode';
import type { HostsModeProject, HostsModeResources, HostsModeState } from './hostsMode';

/** What hosts mode needs of its session, read when it is needed. */
export interface HostsModeContext {
  readonly root: string;
  readonly resources: HostsModeResources;
  /** The sites as last read; an error when the project was never read. */
  sites(): SiteConfig;
  runnerKind(): RunnerKind;
  /** The port the project prefers when 80 cannot be had. */
  port(): number;
  log(text: string): void;
}

/** How the session serves while entering: the server for every site, and what it served before if entering fails. */
export interface ServingSteps {
  serve(port?: () => Promise<number>): Promise<void>;
  rollback(): Promise<void>;
}

export class ProjectHostsMode {
  /** Null in SITE_ID mode; in hosts mode, where the entries are. */
  private state: HostsModeState | null = null;

  constructor(private readonly context: HostsModeContext) {}

  get active(): boolean {
    return this.state !== null;
  }

  /** The hosts file holding the project's entries, while in hosts mode. */
  get file(): string | null {
    return this.state?.file ?? null;
  }

  /** What the project was told on entering (grows while its server starts). */
  get notes(): readonly string[] {
    return this.state?.notes ?? [];
  }

  /** The project as a mode change sees it; taken when the change is asked for, before it waits its turn. */
  project(): HostsModeProject {
    const context = this.context;
    return { root: context.root, sites: context.sites(), runner: context.runnerKind(), preferredPort: context.port(), log: (text) => context.log(text) };
  }

  /**
   * The readiness probe's Host: `site`'s domain (else the first site's) as the browser will
   * send it, so Django answers the probe as a site instead of logging a 500 for 127.0.0.1.
   */
  readyHost(site: Site | null): StartRequest['readyHost'] {
    const domain = readyDomain(site, this.context.sites().sites);
    return domain === null ? undefined : (port) => domainHost(domain, port);
  }

  /** Where `site` answers on the server at `serverUrl`: that address in SITE_ID mode, its own domain on that port in hosts mode. */
  urlFor(site: Site, serverUrl: string | null): string | null {
    if (!serverUrl || !this.active) return serverUrl;
    const port = new URL(serverUrl).port;
    const domain = hostFor(site);
    return domain ? domainUrl(domain, port) : serverUrl;
  }

  /** Enters hosts mode with entries in `file`; a failure puts the state back before the session's own rollback. */
  async enter(project: HostsModeProject, file: string, steps: ServingSteps): Promise<void> {
    const previous = this.state;
    await enterHostsMode(this.context.resources, project, file, previous, {
      entered: (state) => {
        this.state = state;
      },
      serve: (port) => steps.serve(port),
      rollback: async () => {
        this.state = previous;
        await steps.rollback();
      },
    });
  }

  /** Takes the entries out (and the compose port back); the session then serves in SITE_ID mode. */
  async leave(project: HostsModeProject): Promise<void> {
    await leaveHostsMode(this.context.resources, project, this.state);
    this.state = null;
  }
}
