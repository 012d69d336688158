/**
 * What every CLI command gets: the parsed options, and the way to the daemon
 * (started on demand) with the project opened in it.
 */
import * as path from 'node:path';
import { DaemonHome } from '../home/daemonHome';
import { connectToDaemon, takeRecoveryReport } from '../client/daemonClient';
import type { DaemonLink } from '../client/daemonLink';
import { OpenProject } from '../protocol/protocol';
import type { ProxyRouting, SitesResult } from '../protocol/protocol';
import { pythonEnvironmentOf } from '../protocol/pythonEnvironment';
import { UsageError, tellRecovery } from './cliOutput';

export interface Options {
  /** The project folder (--project, default the current directory), resolved. */
  project: string;
  /** The other --project folders: projects sharing the first one's database (doctor only). */
  sharing: string[];
  json: boolean;
  port: number | null;
  hostsFile: string | null;
  dryRun: boolean;
  refresh: boolean;
  warmSites: number | null;
  /** --site-ports: the first of the sites' own ports, false (none), null (next to the project's); undefined: not given. */
  sitePorts: number | false | null | undefined;
  /** --routing: how the proxy reaches the sites; null: the project's default (auto); undefined: not given. */
  routing: ProxyRouting | null | undefined;
  mode: string | undefined;
  browser: boolean;
  /** Start despite the schema guard. */
  yes: boolean;
  /** The settings module to run the project with (--settings); '' goes back to the project's own; null: as it was. */
  settings: string | null;
}

/** A command: its arguments after the command word, and the options. */
export type Command = (args: string[], options: Options) => Promise<void>;

export function home(): DaemonHome {
  return new DaemonHome();
}

/**
 * `autoStart` false: only look (status, stop, daemon stop|status), and accept a daemon of another
 * version as it is; but where a daemon that stopped unexpectedly left servers or hosts entries
 * behind, start one all the same: its recovery undoes them (and tellRecovery says what it did).
 */
function connect(autoStart: boolean): Promise<DaemonLink> {
  return connectToDaemon({ home: home(), daemonScript: path.join(__dirname, 'daemon.js'), autoStart, anyVersion: !autoStart, recoverLeftovers: true });
}

/** Runs `fn` on a connection to the daemon; what its start-up recovery undid, if no client was told yet, goes to stderr once. */
export async function withDaemon<T>(autoStart: boolean, fn: (link: DaemonLink) => Promise<T>): Promise<T> {
  const link = await connect(autoStart);
  // Asked beside the command's own requests, not before them: it costs the command no round trip.
  const recovered = takeRecoveryReport(link);
  try {
    return await fn(link);
  } finally {
    tellRecovery(await recovered);
    link.dispose();
  }
}

/**
 * Opens the project in the daemon. `sitesFirst`: for a command that names its site (switch, open),
 * the files' sites at once and Django's read beside the server's start, not in front of it.
 */
export function openProject(link: DaemonLink, options: Options, sitesFirst = false): Promise<SitesResult> {
  return link.connection.sendRequest(OpenProject.type, {
    root: options.project,
    virtualEnv: process.env.VIRTUAL_ENV || null,
    pythonEnvironment: pythonEnvironmentOf(process.env),
    port: options.port,
    warmSites: options.warmSites,
    ...(options.sitePorts === undefined ? {} : { sitePorts: options.sitePorts }),
    ...(options.routing === undefined ? {} : { routing: options.routing }),
    refresh: options.refresh,
    sitesFirst,
    // Only when given: a command without it leaves the module a client chose as it is.
    ...(options.settings === null ? {} : { settingsModule: options.settings || null, settingsModuleFrom: '--settings' }),
  });
}

/** Throws the command's usage line unless it got exactly `n` arguments. */
export function expectArgs(args: string[], n: number, shape: string): void {
  if (args.length !== n) throw new UsageError(`Usage: multisite-local ${shape}`);
}
