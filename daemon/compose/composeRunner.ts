/**
 * Serves a project through the web service of its docker-compose.yml, with
 * `docker compose` or `docker-compose` (whichever exists). SITE_ID (and the
 * settings module the person chose) go in through an override file the daemon writes in its own home, so the
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
import { run } from './composeCli';
import { composeWebService } from './composeManage';
import type { ComposeRuns } from './composeRuns';
import { findWebPort, publishWebPortOn, serviceAddress } from './composePorts';
import { choosePort } from '../runners/freePort';
import { describePortHolder } from '../runners/portOwner';
import { answersHttp, pollUntilReady } from '../runners/httpReady';
import { killGroup } from '../runners/processGroup';
import { READY_TIMEOUT_MS, describeForced } from '../runners/runner';
import type { Runner, RunnerContext, Server, StartRequest } from '../runners/runner';
import { DaemonError } from '../daemonError';
import { DaemonErrorCode } from '../protocol/protocol';
import { lastLine } from '../sentence';
import { ensurePrivateDir, writeFileAtomic } from '../protocol/safeFile';

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

/**
 * The override file's text: the web service's environment with SITE_ID (null: none forced, as in
 * hosts mode) and the settings module the person chose (null: the service's own environment
 * decides, which may name a module for the container); null when it sets nothing.
 */
export function serviceOverride(service: string, siteId: number | null, settingsModule: string | null): string | null {
  const environment: Record<string, string> = {};
  if (siteId !== null) environment.SITE_ID = String(siteId);
  if (settingsModule) environment.DJANGO_SETTINGS_MODULE = settingsModule;
  return Object.keys(environment).length ? JSON.stringify({ services: { [service]: { environment } } }) : null;
}

export class ComposeServer {
  private logs: ChildProcess | null = null;

  private constructor(
    private readonly runs: ComposeRuns,
    private readonly root: string,
    private readonly cli: string[],
    private readonly composeFile: string,
    private readonly service: string,
    private readonly overrideFile: string,
    readonly url: string,
    private readonly host: string,
    private readonly port: number,
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
   * (Re)creates the web service with SITE_ID forced (or not, for hosts mode) and
   * follows its log. Resolves once compose has started it; `waitUntilReady` then waits for HTTP.
   */
  static async start(
    runs: ComposeRuns,
    root: string,
    overrideDir: string,
    siteId: number | null,
    /** The settings module the person chose; null: the service's own. */
    settingsModule: string | null,
    events: ComposeEvents,
    /** Publish on this port instead of the compose file's (the local proxy's backend); null: the file's. */
    internalPort: number | null = null,
  ): Promise<ComposeServer> {
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

    ensurePrivateDir(overrideDir, `The folder for compose overrides ${overrideDir}`);
    const overrideFile = path.join(overrideDir, `${path.basename(root)}-${process.pid}.override.yml`);
    const override = serviceOverride(web.name, siteId, settingsModule);
    if (override) writeFileAtomic(overrideFile, override);
    else rmSync(overrideFile, { force: true });

    const movedFile = path.join(overrideDir, `${path.basename(root)}-${process.pid}.compose.yml`);
    const movedTo = (port: number): ComposeServer => {
      const moved = publishWebPortOn(compose.text, found.port, port, name, true);
      if (!moved.ok) throw new Error(moved.reason);
      writeFileAtomic(movedFile, moved.text);
      return new ComposeServer(runs, root, cli, compose.file, web.name, overrideFile, `http://${urlHost}:${port}/`, host, port, movedFile);
    };
    let server =
      internalPort === null
        ? new ComposeServer(runs, root, cli, compose.file, web.name, overrideFile, `http://${urlHost}:${published}/`, host, published)
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

  /** `readyHost`: the Host to probe with for the published port (see StartRequest.readyHost). */
  async waitUntilReady(timeoutMs: number, signal: AbortSignal, readyHost?: (port: number) => string): Promise<void> {
    const hostHeader = readyHost?.(this.port);
    await pollUntilReady({
      ready: (budgetMs) => answersHttp(this.port, this.host, hostHeader, budgetMs),
      timeoutMs,
      intervalMs: 150,
      signal,
      timedOut: () => new Error(`the ${this.service} service did not answer at ${this.url} within ${Math.round(timeoutMs / 1000)} s; see the log`),
    });
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
    if (request.debug)
      throw new DaemonError(
        DaemonErrorCode.BadRequest,
        `Debugging a compose web service is not supported yet: debug ${request.label} with the local runner ("runner": "local" in multisite.json).`,
      );
    events.note(`Starting the compose web service with ${describeForced(request.siteId)} for ${request.label}`);
    // Preferred port 0: the local proxy's backend, published on a free loopback port of its own.
    const internalPort = this.context.preferredPort() === 0 ? await choosePort(0) : null;
    const service = await ComposeServer.start(
      this.runs,
      root,
      this.runs.filesDir,
      request.siteId,
      this.context.chosenSettingsModule?.() ?? null,
      { log: (stream, text) => events.log(stream, text), note: (text) => events.note(text) },
      internalPort,
    );
    let stopped: Promise<void> | null = null;
    const server: Server = {
      url: service.url,
      pid: null,
      stop: () =>
        (stopped ??= (async () => {
          await service.stop();
          events.note('Stopped the compose web service.');
        })()),
    };
    events.spawned(server);
    await service.waitUntilReady(READY_TIMEOUT_MS, signal, request.readyHost);
    return server;
  }
}
