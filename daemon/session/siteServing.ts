/**
 * Which site a project serves and how: the current site, switching (serialized, a newer switch
 * supersedes a waiting one: switchQueue.ts), starting, opening a site beside the current one, Debug
 * Site, mode changes and stopping. What serves is one Serving at a time (serving/projectServing.ts);
 * what the project is (its sites, its preferences, its hosts mode) is the session's (projectSession.ts).
 */
import { DaemonError, servingFailure } from '../base/daemonError';
import { DaemonErrorCode } from '../../protocol/protocol';
import type { ModeResult, ProjectState, RoutingMode, ServingStrategy, Site, SitesResult, SwitchResult } from '../../protocol/protocol';
import { siteLabel } from '../../protocol/siteLabel';
import { urlPort } from '../../protocol/domainUrl';
import type { ProjectCode } from '../runners/projectCode';
import type { RunnerKind, StartRequest } from '../runners/runner';
import { hostsReadyConfig, servableConfig } from '../sites/configGate';
import type { ProjectSites } from '../sites/projectSites';
import type { AddressedSites } from '../proxy/addressedSites';
import type { ModeChange } from '../hosts/hostsMode';
import type { ProjectHostsMode } from '../hosts/projectHostsMode';
import { ProjectServing } from '../serving/projectServing';
import type { ServingContext } from '../serving/projectServing';
import type { Serving } from '../serving/serving';
import type { SessionEvents } from './sessionContract';
import type { StartsInFlight } from './startsInFlight';
import { SiteDebugging } from './siteDebugging';
import { SwitchQueue } from './switchQueue';
import type { CancelReason } from './switchQueue';

/** What serving a project's sites needs of its session, read when it is needed. */
export interface SiteServingContext {
  root: string;
  projectSites: ProjectSites;
  hostsMode: ProjectHostsMode;
  addresses: AddressedSites;
  starts: StartsInFlight;
  projectCode: ProjectCode;
  events: SessionEvents;
  strategy(): ServingStrategy;
  mode(): RoutingMode;
  runnerKind(): RunnerKind;
  state(): ProjectState;
  /** A sentence for the project's log. */
  log(text: string): void;
  /** A restart tries again what a self-check refused (one server for every site): the code may have changed. */
  restarting(): void;
}

export class SiteServing {
  /** The site served, or to be served by a start: kept when the server stops, found again in each read. */
  current: Site | null = null;
  /** What serves the project, one way at a time (serving/serving.ts). */
  private readonly serving: ProjectServing;
  private readonly queue = new SwitchQueue();
  /** Debug Site, in the same queue as the switches. */
  readonly debug: SiteDebugging;

  constructor(
    private readonly context: SiteServingContext,
    serving: Omit<ServingContext, 'request' | 'urlFor' | 'madeCurrent'>,
  ) {
    this.serving = new ProjectServing({
      ...serving,
      request: (site) => this.oneServerRequest(site),
      urlFor: (site, serverUrl) => context.hostsMode.urlFor(site, serverUrl),
      madeCurrent: (site) => (this.current = site),
    });
    this.debug = new SiteDebugging({ ...context, queue: this.queue, serving: this.serving, current: () => this.current });
  }

  get isServing(): boolean {
    return this.serving.isServing;
  }

  /** What serves the project now. */
  get served(): Serving {
    return this.serving.current;
  }

  /** The ports the project's servers hold: the doctor must not call them taken. */
  ports(): number[] {
    return this.serving.ports();
  }

  /**
   * Another settings module than the servers run with (a person chose another, .env changed): what
   * serves is started again with it, as runserver's own reloader does for an edit of the settings.
   */
  followSettings(result: SitesResult): void {
    const site = this.current;
    if (!site || !this.serving.isServing) return;
    this.context.log(
      `The settings module is now ${result.settings.module ?? 'none'} (${result.settings.from ?? 'none named'}): serving ${siteLabel(site)} again with it.`,
    );
    void this.queue
      .enqueue(async (signal) => {
        await this.serving.stop();
        await this.resume(site, signal);
      })
      .catch((error: Error) => this.context.log(`could not serve ${siteLabel(site)} again: ${error.message}`));
  }

  async switchTo(query: string): Promise<SwitchResult> {
    const site = await this.context.projectSites.findServable(query);
    const started = Date.now();
    this.current = site;
    const result = (url: string | null): SwitchResult => {
      const addressed = this.context.addresses.addressed(site);
      return { site: addressed, mode: this.context.mode(), url: url ?? '', localhostUrl: addressed.localhostUrl, elapsedMs: Date.now() - started };
    };
    // Hosts mode: the running server already serves every site; only "current" changes.
    if (this.served.servesAlready(site)) {
      this.context.events.stateChanged(this.context.state());
      return result(this.served.urlFor(site));
    }
    this.serving.switching(this.context.strategy());
    return this.context.starts.track(
      this.queue.enqueue(async (signal) => {
        await this.resume(site, signal);
        await this.served.syncSitePorts(); // opened beside the start, long done: the answer names the site's port
        return result(this.served.urlFor(site));
      }),
    );
  }

  /**
   * Serves `site` when named, else the current site, else the first (`start`, `restart`); a restart
   * stops whatever serves first. A project with no site to serve is refused in one sentence: the
   * config error that kept its sites from being read, or that it declares none.
   */
  async start(site: string | null, restart: boolean): Promise<SwitchResult> {
    const query = site ?? this.current?.slug ?? this.context.projectSites.get().sites[0]?.slug;
    if (query === undefined) {
      const config = servableConfig(this.context.projectSites.get());
      throw new DaemonError(DaemonErrorCode.SiteNotFound, `${config.project.name} declares no sites to serve.`);
    }
    if (restart) {
      await this.context.projectSites.findServable(query); // a site that cannot be served stops nothing
      await this.stop();
      this.context.restarting();
    }
    return this.switchTo(query);
  }

  /**
   * Makes `site` answer at its own address (`site.localhostUrl`) without changing the current
   * site. Where the project is not served through the proxy, only a switch can make it answer.
   */
  async openSite(query: string, preview: string | null = null): Promise<SwitchResult> {
    const site = await this.context.projectSites.findServable(query);
    const started = Date.now();
    const cancelled = this.queue.servingEndsSignal;
    // Nothing served yet: the first site opened becomes the current one.
    const serving = this.current === null && !this.serving.isServing ? null : await this.servingBeside();
    const opening = serving?.open(site, preview) ?? null;
    if (opening === null) {
      const switched = await this.switchTo(query);
      // Served where only a switch makes a site answer, the preview shows its own answers (null).
      const shown = preview === null ? null : await this.served.open(site, preview);
      return { ...switched, preview: shown?.preview ?? null };
    }
    try {
      const opened = await this.context.starts.track(opening);
      return {
        site: { ...this.context.addresses.addressed(site), localhostUrl: opened.url },
        mode: this.context.mode(),
        url: opened.url,
        localhostUrl: opened.url,
        elapsedMs: Date.now() - started,
        preview: opened.preview,
      };
    } catch (error) {
      // One server for every site refused by its self-check: opened again the way the project is now served.
      if (serving && serving.strategy !== this.context.strategy()) return this.openSite(query, preview);
      throw servingFailure(siteLabel(site), cancelled, error);
    }
  }

  /** What serves the project the way it is to be served now: made behind a switch under way, never superseding it (opening a site is no switch). */
  private async servingBeside(): Promise<Serving> {
    const strategy = this.context.strategy();
    return this.served.strategy === strategy ? this.served : this.queue.behind(() => this.serving.servingFor(strategy));
  }

  /**
   * Serves `site` as the current one, the way the project is to be served now; again the new way
   * when that changed on the way (one server for every site refused by its self-check).
   */
  private async resume(site: Site, signal: AbortSignal): Promise<void> {
    if (signal.aborted) throw servingFailure(siteLabel(site), signal, null);
    const strategy = this.context.strategy();
    const serving = await this.serving.servingFor(strategy);
    try {
      await serving.serve(site, signal, (error) => servingFailure(siteLabel(site), signal, error));
    } catch (error) {
      if (signal.aborted || this.context.strategy() === strategy) throw error;
      await this.resume(site, signal);
    }
  }

  /**
   * How the one server is started for `site`: with its SITE_ID; in hosts mode with none (the Host picks
   * the site) and, while it serves, on the port it has (80 where it could be had): a restart for
   * debugging, or back from it, must not move the addresses the hosts entries give.
   */
  oneServerRequest(site: Site): StartRequest {
    const label = siteLabel(site);
    if (this.context.mode() === 'env') return { siteId: site.id, label };
    const one = this.serving.oneServer;
    const url = one.isServing ? one.state().url : null;
    return { siteId: null, label, readyHost: this.context.hostsMode.readyHost(site), port: url === null ? undefined : () => Promise.resolve(urlPort(url)) };
  }

  /** Hosts mode: (re)starts the one server for every site (the Host picks it); `request.port` is asked once the old one is gone. */
  private async serveEverySite(request: StartRequest, signal: AbortSignal): Promise<void> {
    await this.serving.stop();
    await this.serving.oneServer.start(request, signal, (error) => servingFailure(request.label, signal, error));
  }

  /**
   * Hosts mode: entries for every local domain, no forced SITE_ID, port 80 when possible.
   * SITE_ID mode: entries removed, the current site forced again. A change that fails
   * part way is rolled back whole: entries, compose port, mode and server as they were.
   */
  async setMode(change: ModeChange): Promise<ModeResult> {
    // Refused before anything changes, a pending switch included; leaving hosts mode never is.
    if (change.mode === 'hosts') hostsReadyConfig(this.context.projectSites.get());
    const project = this.context.hostsMode.project();
    this.queue.endServing('superseded');
    return this.queue.enqueue(async (signal) => {
      if (change.mode === 'hosts') {
        const previous = this.serving.isServing ? this.current : null;
        await this.context.hostsMode.enter(project, change.hostsFile, {
          serve: (port) => this.serveEverySite({ siteId: null, label: 'every site', port, readyHost: this.context.hostsMode.readyHost(this.current) }, signal),
          rollback: async () => {
            if (previous && !signal.aborted) await this.resume(previous, signal).catch(() => undefined);
          },
        });
      } else {
        await this.context.hostsMode.leave(project);
        const site = this.current;
        // Serve again (with SITE_ID, or through the proxy) only what was running; a stopped server stays stopped.
        if (site && this.serving.isServing) await this.resume(site, signal);
        else await this.serving.stopAll();
      }
      // Each site's own .localhost address exists only while the proxy serves it: clients show the sites anew.
      if (this.context.projectSites.current) this.context.events.sitesChanged(this.context.addresses.withAddresses(this.context.projectSites.current));
      return { state: this.context.state(), url: this.current ? this.served.urlFor(this.current) : null };
    });
  }

  /**
   * Django's answer (its framework picks sites by Host) or a self-check can change how the project is
   * to be served: serving follows, behind a switch under way and superseding none (a switch that
   * ran meanwhile may have followed already). A failure shows in the state and the log.
   */
  followRouting(): void {
    const signal = this.queue.servingEndsSignal;
    const differs = (): boolean => this.served.isServing && this.served.strategy !== this.context.strategy();
    if (!this.current || !differs()) return;
    void this.queue
      .behind(async () => {
        const site = this.current;
        if (site && differs()) await this.resume(site, signal);
      })
      .catch((error: Error) => this.context.log(`could not serve the project the new way: ${error.message}`));
  }

  /** Stops the server; the current site is kept so a later start knows what to serve. */
  stop(cancel: CancelReason = 'superseded'): Promise<ProjectState> {
    this.queue.endServing(cancel);
    return this.queue.enqueue(async () => {
      await this.serving.stopAll();
      return this.context.state();
    }, cancel);
  }
}
