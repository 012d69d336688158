/**
 * Serves a project through the web service of its docker-compose.yml, with
 * `docker compose` or `docker-compose` (whichever exists). SITE_ID (and the
 * settings module the person chose, and debugpy for Debug Site: composeDebug.ts) go in through an override file the daemon writes in its own home, so the
 * project's files are not touched for it and taking it out is dropping the
 * file. Starting and stopping use compose's own commands: no container is
 * orphaned, and other services (the database) are left running.
 * When the web service's published port is taken by another program, SITE_ID
 * mode publishes it on a free port through a copy of the compose file in the
 * daemon's home (compose merges `ports` from override files instead of
 * replacing them); hosts mode says which program holds the port.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { run } from '../compose/composeCli';
import { composeWebService } from '../compose/composeManage';
import { DEBUGPY_CONTAINER_PORT, NO_DEBUGPY, noDebugpySentence, serviceDebug } from '../compose/composeDebug';
import type { ComposeRuns } from '../compose/composeRuns';
import { findWebPort, publishWebPortOn, serviceAddress } from '../compose/composePorts';
import { choosePort } from './freePort';
import { describePortHolder } from './portOwner';
import { answersHttp, pollUntilReady } from './httpReady';
import { killGroup } from '../base/processGroup';
import { READY_TIMEOUT_MS, describeForced } from './runner';
import type { Runner, RunnerContext, Server, StartRequest } from './runner';
import { DaemonError } from '../base/daemonError';
import { DaemonErrorCode } from '../../protocol/protocol';
import type { PathMapping } from '../../protocol/protocol';
import { lastLine } from '../base/sentence';
import { ensurePrivateDir, writeFileAtomic } from '../../home/safeFile';

export interface ComposeEvents {
  log(stream: 'stdout' | 'stderr', text: string): void;
  /** A sentence from the daemon about how the service is run. */
  note(text: string): void;
}

/** What docker (userland proxy) and compose say when the published port is taken. */
const PORT_TAKEN = /address already in use|port is already allocated/i;
/** What Docker says when every address range for a new network is taken (by networks, often long unused, or routes). */
const NO_ADDRESS_POOL = /non-overlapping IPv4 address pool/i;

/** Why `up` failed, in compose's words, with what to do when that is known. */
function upFailure(cli: string[], stderr: string): string {
  const said = lastLine(stderr) ?? 'no message';
  if (!NO_ADDRESS_POOL.test(stderr)) return `${cli.join(' ')} up failed: ${said}`;
  return `${cli.join(' ')} up failed: Docker has no address range left for the project's network (${said.replace(/\.$/, '')}); docker network prune removes the networks no container uses.`;
}

/** What the daemon sets on the web service through its override file. */
export interface ServiceChanges {
  /** The forced site; null: none (hosts mode, or the Host picks the site). */
  siteId: number | null;
  /** The settings module the person chose; null: the service's own environment decides (it may name one for the container). */
  settingsModule: string | null;
  /** Run under debugpy: the service's command so (composeDebug.ts), its port published on this loopback port. */
  debug?: { command: string[]; port: number };
}

/** The override file's text for `changes` to `service`; null when it changes nothing. */
export function serviceOverride(service: string, changes: ServiceChanges): string | null {
  const environment: Record<string, string> = {};
  if (changes.siteId !== null) environment.SITE_ID = String(changes.siteId);
  if (changes.settingsModule) environment.DJANGO_SETTINGS_MODULE = changes.settingsModule;
  const debug = changes.debug && { command: changes.debug.command, ports: [`127.0.0.1:${changes.debug.port}:${DEBUGPY_CONTAINER_PORT}`] };
  const overrides = { ...(Object.keys(environment).length ? { environment } : {}), ...debug };
  return Object.keys(overrides).length ? JSON.stringify({ services: { [service]: overrides } }) : null;
}

/** How the web service is started: what changes on it, and where it is published. */
export interface ComposeStart {
  siteId: number | null;
  settingsModule: string | null;
  /** Publish on this port instead of the compose file's (the local proxy's backend); null: the file's. */
  internalPort: number | null;
  /** Run under debugpy, published on this loopback port; null: as the file says. */
  debugPort: number | null;
}

/** How often a start that is not answered yet looks whether the container has ended. */
const ENDED_LOOK_MS = 1000;

/** The web service's container ended before it answered; `log` holds its last lines. */
export class ServiceEnded extends Error {
  constructor(
    message: string,
    readonly log: string,
  ) {
    super(message);
  }
}

export class ComposeServer {
  private logs: ChildProcess | null = null;

  private constructor(
    private readonly runs: ComposeRuns,
    private readonly root: string,
    readonly cli: string[],
    private readonly composeFile: string,
    readonly service: string,
    private readonly overrideFile: string,
    readonly url: string,
    private readonly host: string,
    private readonly port: number,
    /** Where the service's files are on this machine, for a debugger (debugPathMappings). */
    readonly pathMappings: PathMapping[],
    /** A copy of the compose file publishing the web service elsewhere, used instead of the project's. */
    private readonly movedFile: string | null = null,
  ) {}

  private compose(args: string[], withOverride: boolean): Promise<{ ok: boolean; stdout: string; stderr: string }> {
    // The copy lives in the daemon's home: relative paths (volumes, build) still mean the project's folder.
    const base = this.movedFile ? ['--project-directory', this.root, '-f', this.movedFile] : ['-f', this.composeFile];
    const files = [...base, ...(withOverride ? ['-f', this.overrideFile] : [])];
    return run(this.cli[0], [...this.cli.slice(1), ...files, ...args], this.root);
  }

  /**
   * (Re)creates the web service with SITE_ID forced (or not, for hosts mode), under debugpy when asked, and
   * follows its log. Resolves once compose has started it; `waitUntilReady` then waits for HTTP.
   */
  static async start(runs: ComposeRuns, root: string, overrideDir: string, start: ComposeStart, events: ComposeEvents): Promise<ComposeServer> {
    const { siteId, internalPort } = start;
    const { cli, compose, web } = await composeWebService(root);
    const name = path.basename(compose.file);
    const found = findWebPort(compose.text, name);
    if (!found.ok) throw new Error(found.reason);
    const published = found.port.published;
    if (published === null)
      throw new Error(
        `${name} line ${found.port.line}: the ${web.name} service's port ${found.port.shown} is published on a random host port; give it a fixed one.`,
      );
    const { host, urlHost } = serviceAddress(found.port.hostIp);
    const debug = start.debugPort === null ? undefined : await serviceDebug(cli, compose.file, root, web.name, start.debugPort);

    ensurePrivateDir(overrideDir, `The folder for compose overrides ${overrideDir}`);
    const overrideFile = path.join(overrideDir, `${path.basename(root)}-${process.pid}.override.yml`);
    const override = serviceOverride(web.name, { siteId, settingsModule: start.settingsModule, debug });
    if (override) writeFileAtomic(overrideFile, override);
    else rmSync(overrideFile, { force: true });
    const pathMappings = debug?.pathMappings ?? [];

    const movedFile = path.join(overrideDir, `${path.basename(root)}-${process.pid}.compose.yml`);
    const movedTo = (port: number): ComposeServer => {
      const moved = publishWebPortOn(compose.text, found.port, port, name, true);
      if (!moved.ok) throw new Error(moved.reason);
      writeFileAtomic(movedFile, moved.text);
      return new ComposeServer(runs, root, cli, compose.file, web.name, overrideFile, `http://${urlHost}:${port}/`, host, port, pathMappings, movedFile);
    };
    let server =
      internalPort === null
        ? new ComposeServer(runs, root, cli, compose.file, web.name, overrideFile, `http://${urlHost}:${published}/`, host, published, pathMappings)
        : movedTo(internalPort);
    runs.record({ root, composeFile: compose.file, service: web.name, cli });
    const up = (): Promise<{ ok: boolean; stderr: string }> => server.compose(['up', '-d', '--no-deps', '--force-recreate', web.name], override !== null);
    // `up` runs through whichever server is current: the second try uses the moved copy.
    let result = await up();
    if (!result.ok && PORT_TAKEN.test(result.stderr) && internalPort === null) {
      const taken = `${published}, where ${path.basename(compose.file)} publishes the ${web.name} service, is in use by ${await describePortHolder(published)}`;
      // Hosts mode needs the port the hosts entries are served on; say who holds it.
      if (siteId === null) throw new Error(`port ${taken}`);
      const free = await choosePort(published);
      events.note(`Port ${taken}, so it is published on port ${free} instead (${path.basename(compose.file)} is not changed).`);
      server = movedTo(free);
      result = await up();
    }
    if (!result.ok) throw new Error(upFailure(cli, result.stderr));
    server.followLogs(events);
    return server;
  }

  private followLogs(events: ComposeEvents): void {
    const child = spawn(this.cli[0], [...this.cli.slice(1), '-f', this.composeFile, 'logs', '-f', '--no-color', '--tail', '0', this.service], {
      cwd: this.root,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.logs = child;
    if (child.stdout) readline.createInterface({ input: child.stdout }).on('line', (text) => events.log('stdout', text.replace(/^\S+\s+\|\s?/, '')));
    if (child.stderr) readline.createInterface({ input: child.stderr }).on('line', (text) => events.log('stderr', text));
  }

  /**
   * Waits until the service answers HTTP; throws ServiceEnded at once when its container ends first (a missing
   * module, a settings error), not after the whole wait. `readyHost`: the Host to probe with (StartRequest.readyHost).
   */
  async waitUntilReady(timeoutMs: number, signal: AbortSignal, readyHost?: (port: number) => string): Promise<void> {
    const hostHeader = readyHost?.(this.port);
    let nextLook = Date.now() + ENDED_LOOK_MS;
    await pollUntilReady({
      ready: async (budgetMs) => {
        if (await answersHttp(this.port, { host: this.host, hostHeader }, budgetMs)) return true;
        if (Date.now() < nextLook) return false;
        nextLook = Date.now() + ENDED_LOOK_MS;
        const ended = await this.ended();
        if (ended) throw ended;
        return false;
      },
      timeoutMs,
      intervalMs: 150,
      signal,
      timedOut: () => new Error(`the ${this.service} service did not answer at ${this.url} within ${Math.round(timeoutMs / 1000)} s; see the log`),
    });
  }

  /** Why the service's container is no longer running (its exit code and last lines); null while it runs, or when compose cannot say. */
  private async ended(): Promise<ServiceEnded | null> {
    const ps = await this.compose(['ps', '-a', '-q', this.service], false);
    const id = ps.stdout.trim().split('\n')[0];
    if (!ps.ok || !id) return null;
    const inspect = await run('docker', ['inspect', '--format', '{{.State.Running}} {{.State.ExitCode}}', id], this.root, 10_000);
    const [running, code] = inspect.stdout.trim().split(' ');
    if (!inspect.ok || running !== 'false') return null;
    const logs = await run('docker', ['logs', '--tail', '20', id], this.root, 10_000);
    const log = `${logs.stdout}\n${logs.stderr}`;
    const said = lastLine(log);
    return new ServiceEnded(`the ${this.service} service exited with code ${code} before it answered${said ? `: ${said.replace(/\.$/, '')}` : ''}.`, log);
  }

  /** Stops the web service with compose (its container stays, as compose leaves it) and the log follower. */
  async stop(): Promise<void> {
    if (this.logs?.pid !== undefined) await killGroup(this.logs.pid, 2000);
    this.logs = null;
    await this.compose(['stop', this.service], false);
    this.runs.forget(this.root);
    rmSync(this.overrideFile, { force: true });
    if (this.movedFile) rmSync(this.movedFile, { force: true });
  }
}

/** The compose runner: the project's web service, SITE_ID through the daemon's override file. */
export class ComposeRunner implements Runner {
  readonly kind = 'compose';

  constructor(
    private readonly context: RunnerContext,
    private readonly runs: ComposeRuns,
  ) {}

  async start(request: StartRequest, signal: AbortSignal): Promise<Server> {
    const { root, events } = this.context;
    const under = request.debug ? ' under debugpy' : '';
    events.note(`Starting the compose web service${under} with ${describeForced(request.siteId)} for ${request.label}`);
    // Preferred port 0: the local proxy's backend, published on a free loopback port of its own.
    const internalPort = this.context.preferredPort() === 0 ? await choosePort(0) : null;
    const service = await ComposeServer.start(
      this.runs,
      root,
      this.runs.filesDir,
      {
        siteId: request.siteId,
        settingsModule: this.context.chosenSettingsModule?.() ?? null,
        internalPort,
        debugPort: request.debug?.port ?? null,
      },
      events,
    );
    let stopped: Promise<void> | null = null;
    const server: Server = {
      url: service.url,
      pid: null,
      pathMappings: service.pathMappings,
      stop: () =>
        (stopped ??= (async () => {
          await service.stop();
          events.note('Stopped the compose web service.');
        })()),
    };
    events.spawned(server);
    try {
      await service.waitUntilReady(READY_TIMEOUT_MS, signal, request.readyHost);
    } catch (error) {
      // An image without debugpy ends the command at once: say how to put it there.
      if (request.debug && error instanceof ServiceEnded && NO_DEBUGPY.test(error.log))
        throw new DaemonError(DaemonErrorCode.NoDebugpy, noDebugpySentence(service.service, service.cli));
      throw error;
    }
    return server;
  }
}
