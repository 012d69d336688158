/**
 * Debug Site (issue 24) for one project: a site served under debugpy the way the project is served
 * (serving/serving.ts's debug), in the project's switch queue so it never races a switch, and
 * served as before when debugging stops. Where debugpy is found is looked for once per interpreter.
 */
import { servingFailure } from '../base/daemonError';
import type { DebugParams, DebugResult, DebugState, ProjectState, ServingStrategy, Site } from '../../protocol/protocol';
import { siteLabel } from '../../protocol/siteLabel';
import type { DebugOptions } from '../runners/debugpy';
import { choosePort } from '../runners/freePort';
import type { ProjectCode } from '../runners/projectCode';
import type { RunnerKind } from '../runners/runner';
import type { ProjectSites } from '../sites/projectSites';
import type { ProjectServing } from '../serving/projectServing';
import type { SessionEvents } from './sessionContract';
import type { StartsInFlight } from './startsInFlight';
import type { SwitchQueue } from './switchQueue';
import { DebugpyLookup } from './debugpyLookup';

export interface SiteDebuggingContext {
  root: string;
  projectSites: ProjectSites;
  projectCode: ProjectCode;
  starts: StartsInFlight;
  events: SessionEvents;
  queue: SwitchQueue;
  serving: ProjectServing;
  strategy(): ServingStrategy;
  runnerKind(): RunnerKind;
  /** The site served now. */
  current(): Site | null;
  state(): ProjectState;
}

export class SiteDebugging {
  private readonly debugpy: DebugpyLookup;

  constructor(private readonly context: SiteDebuggingContext) {
    this.debugpy = new DebugpyLookup(context.projectCode, context.root);
  }

  /** Serves `params.site` under debugpy; resolves once debugpy listens, so a debugger can attach at once. */
  async debugSite(params: DebugParams): Promise<DebugResult> {
    const { projectSites, queue, serving } = this.context;
    const site = await projectSites.findServable(params.site);
    // A compose service's debugpy is its image's (composeDebug.ts): this machine's Python says nothing of it.
    const python = this.context.runnerKind() === 'local' ? (await projectSites.interpreter()).path : null;
    const pythonPath = python === null ? null : await this.debugpy.pathFor(python, params.debugpyPath ?? null);
    const options: DebugOptions = { port: await choosePort(0), pythonPath };
    return this.context.starts.track(
      queue.enqueue(async (signal) => {
        const served = await (
          await serving.servingFor(this.context.strategy())
        ).debug(site, options, signal, (error) => servingFailure(siteLabel(site), signal, error));
        return { site, debugPort: options.port, ...served };
      }),
    );
  }

  /** Serves the debugged site as before, without debugpy (the current one restarted so, or its backend). */
  stopDebugging(): Promise<ProjectState> {
    return this.context.queue.enqueue(async (signal) => {
      const current = this.context.current();
      const failure = (error: unknown): Error => servingFailure(current ? siteLabel(current) : 'the site', signal, error);
      await this.context.serving.current.stopDebugging(current, signal, failure);
      this.context.events.stateChanged(this.context.state());
      return this.context.state();
    });
  }

  /** What is served under debugpy now: a backend of the proxy, or the one server started so. */
  state(): DebugState | null {
    const debugged = this.context.serving.current.debugging();
    return debugged && { site: debugged.site.slug, port: debugged.port, pid: debugged.pid };
  }
}
