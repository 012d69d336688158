/**
 * `multisite-local`: the daemon's command-line client.
 * Exit codes: 0 success, 1 failure (one sentence on stderr, or JSON on stdout with --json), 2 bad usage.
 */
import { realpathSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { version } from '../../package.json';
import { CliFailure, UsageError, print, reportFailure } from './cliOutput';
import { DaemonHome } from '../protocol/daemonHome';
import { DaemonNotRunningError, connectToDaemon } from '../protocol/daemonClient';
import type { DaemonLink } from '../protocol/daemonLink';
import { CLIENT_VERSION, describeVersion, isCurrentVersion } from '../protocol/daemonVersion';
import { discoveredRuns } from '../protocol/discovery';
import { parsePortArgument } from './portArgument';
import { hostsFileOption, warmSitesOption } from './envOptions';
import {
  ApplyHosts,
  CleanUp,
  GetStatus,
  OpenProject,
  OpenSite,
  RemoveHosts,
  RunDoctor,
  SetMode,
  ShowHosts,
  Shutdown,
  StopServer,
  SwitchSite,
} from '../protocol/protocol';
import { openInBrowser } from './openInBrowser';
import { startProject } from './startCommand';
import type { DoctorReport, HostsEdit, RoutingMode, SitesResult } from '../protocol/protocol';
import { siteLabel } from '../protocol/siteLabel';
import { urlPort } from '../protocol/domainUrl';
import { describeState, formatElapsed, formatSites, printDiagnostics, sitesUnread } from './cliText';
import { formatDoctorReport, hasErrors } from './doctorText';

const USAGE = `Usage: multisite-local <command> [options]

Commands:
  sites [--refresh]     list the project's sites and their domains (--refresh: read the Sites table again)
  switch SITE           serve SITE (slug, id, name or domain); returns when it answers
  open SITE [--browser] make SITE answer at its own address and print it (--browser: open it there)
  status                the daemon, and the project's current site, mode and server
  start [SITE]          serve the project (its current site, else its first); answers once it does
  restart [SITE]        stop the project's server, then start it
  stop                  stop the project's server
  mode env|hosts        route by SITE_ID (env) or by each site's domain through the hosts file (hosts)
  hosts apply|remove|show   write, remove or list the project's hosts entries (no mode change)
  cleanup               remove every hosts entry this tool wrote (all projects); leave hosts mode
  doctor [DIR] [--mode env|hosts]   check the project for what would stop it being served right
                        (for its current mode, or --mode); exit 1 when an error is found;
                        with --project A --project B: also whether their migrations match
  daemon start|stop|status

Options:
  --project DIR         the Django project (default: the current directory); doctor takes several,
                        to compare projects that share one database
  --port N              preferred port (default 8000; another free one if taken)
  --warm-sites N        sites kept warm behind the local proxy (default 3, or MULTISITE_LOCAL_WARM_SITES;
                        0: restart runserver per switch)
  --hosts-file FILE     hosts file to edit in hosts mode (also MULTISITE_LOCAL_HOSTS_FILE)
  --mode env|hosts      with doctor: the mode to check
  --dry-run             with hosts and cleanup: print the change as a diff, write nothing
  --yes                 with start, restart, switch, open: start even though the projects sharing the
                        database have other migrations (the schema guard refused)
  --json                machine-readable output (errors too: {"error": {"code", "message"}})
  -h, --help            this help
  -v, --version         the version`;

interface Options {
  project: string;
  json: boolean;
  port: number | null;
  hostsFile: string | null;
  dryRun: boolean;
  refresh: boolean;
  warmSites: number | null;
}

function home(): DaemonHome {
  return new DaemonHome();
}

/** `autoStart` false: only look (status, daemon stop), and accept a daemon of another version as it is. */
function connect(autoStart: boolean): Promise<DaemonLink> {
  return connectToDaemon({ home: home(), daemonScript: path.join(__dirname, 'daemon.js'), autoStart, anyVersion: !autoStart });
}

async function withDaemon<T>(autoStart: boolean, fn: (link: DaemonLink) => Promise<T>): Promise<T> {
  const link = await connect(autoStart);
  try {
    return await fn(link);
  } finally {
    link.dispose();
  }
}

function openProject(link: DaemonLink, options: Options): Promise<SitesResult> {
  return link.connection.sendRequest(OpenProject.type, {
    root: options.project,
    virtualEnv: process.env.VIRTUAL_ENV ?? null,
    port: options.port,
    warmSites: options.warmSites,
    refresh: options.refresh,
  });
}

async function run(argv: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        project: { type: 'string', multiple: true },
        json: { type: 'boolean', default: false },
        port: { type: 'string' },
        'hosts-file': { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        mode: { type: 'string' },
        refresh: { type: 'boolean', default: false },
        'warm-sites': { type: 'string' },
        browser: { type: 'boolean', default: false },
        yes: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return print(false, null, USAGE);
  if (values.version) return print(false, null, version);
  const port = values.port === undefined ? null : parsePortArgument(values.port);
  if (values.port !== undefined && port === null) {
    throw new UsageError(`--port must be a TCP port number written in decimal digits (1-65535), not "${values.port}".`);
  }
  const warmSites = warmSitesOption(values['warm-sites']);
  const [first, ...sharing] = (values.project ?? []).map((dir) => path.resolve(dir));
  const projectDir = first ?? process.cwd();
  // Several projects make sense only to the doctor: it compares the schema of projects sharing a database.
  if (sharing.length > 0 && positionals[0] !== 'doctor')
    throw new UsageError('Only doctor takes --project more than once (to compare projects that share a database).');
  const options: Options = {
    project: projectDir,
    json: values.json,
    port,
    hostsFile: hostsFileOption(values['hosts-file']),
    dryRun: values['dry-run'],
    refresh: values.refresh,
    warmSites,
  };
  const [command, ...args] = positionals;
  const expectArgs = (n: number, shape: string): void => {
    if (args.length !== n) throw new UsageError(`Usage: multisite-local ${shape}`);
  };

  switch (command) {
    case 'sites': {
      expectArgs(0, 'sites [--refresh] [--project DIR] [--json]');
      const result = await withDaemon(true, (link) => openProject(link, options));
      if (!options.json) printDiagnostics(result);
      // Scripts and CI read an unreadable project from the exit code, with or without --json.
      if (sitesUnread(result)) process.exitCode = 1;
      return print(options.json, result, formatSites(result));
    }
    case 'switch': {
      expectArgs(1, 'switch SITE [--project DIR] [--json]');
      const result = await withDaemon(true, async (link) => {
        await openProject(link, options);
        if (!options.json) process.stderr.write(`Switching ${path.basename(projectDir)} to ${args[0]}…\n`);
        return link.connection.sendRequest(SwitchSite.type, { root: projectDir, site: args[0], confirmed: values.yes });
      });
      const name = siteLabel(result.site);
      const how = result.mode === 'hosts' ? 'chosen by its domain' : `SITE_ID=${result.site.id}`;
      const own = result.localhostUrl ? `; also at ${result.localhostUrl}` : '';
      return print(options.json, result, `Serving ${name} (${how}) at ${result.url}${own} (${formatElapsed(result.elapsedMs)})`);
    }
    case 'open': {
      expectArgs(1, 'open SITE [--browser] [--project DIR] [--json]');
      const result = await withDaemon(true, async (link) => {
        await openProject(link, options);
        return link.connection.sendRequest(OpenSite.type, { root: projectDir, site: args[0], confirmed: values.yes });
      });
      const url = result.localhostUrl ?? result.url;
      if (values.browser) await openInBrowser(url);
      return print(options.json, result, url);
    }
    case 'start':
    case 'restart': {
      if (args.length > 1) throw new UsageError(`Usage: multisite-local ${command} [SITE] [--project DIR] [--yes] [--json]`);
      const result = await withDaemon(true, async (link) =>
        startProject(link.connection, await openProject(link, options), {
          root: projectDir,
          site: args[0] ?? null,
          restart: command === 'restart',
          confirmed: values.yes,
        }),
      );
      return print(
        options.json,
        result,
        `Serving ${siteLabel(result.site)} of ${path.basename(projectDir)} at ${result.url} (port ${result.port}, ${formatElapsed(result.elapsedMs)})`,
      );
    }
    case 'stop': {
      expectArgs(0, 'stop [--project DIR]');
      const state = await withDaemon(true, async (link) => {
        await openProject(link, options);
        return link.connection.sendRequest(StopServer.type, { root: projectDir });
      });
      return print(options.json, state, `Stopped the server of ${state.project.name}.`);
    }
    case 'status': {
      expectArgs(0, 'status [--project DIR] [--json]');
      let status;
      try {
        status = await withDaemon(false, (link) => link.connection.sendRequest(GetStatus.type));
      } catch (error) {
        if (!(error instanceof DaemonNotRunningError)) throw error;
        return print(options.json, { daemon: null, project: null, projects: [] }, 'The daemon is not running; no server is running.');
      }
      const canonical = safeRealpath(projectDir);
      const project = status.projects.find((p) => p.project.root === canonical) ?? null;
      const { pid, port: daemonPort, version: daemonVersion, protocol } = status.daemon;
      const text = [`Daemon pid ${pid} on 127.0.0.1:${daemonPort} (version ${daemonVersion})`, ...status.projects.map(describeState)];
      return print(
        options.json,
        {
          daemon: { pid, port: daemonPort, version: daemonVersion, protocol },
          project,
          currentSite: project?.currentSite ?? null,
          mode: project?.mode ?? null,
          server: project?.server ?? null,
          // Each project's address and port beside its state: several projects run at once, each on its own port.
          projects: status.projects.map((p) => ({
            ...p,
            url: p.siteUrl ?? p.server.url,
            port: p.server.url ? urlPort(p.server.url) : null,
          })),
        },
        text.join('\n'),
      );
    }
    case 'mode': {
      const mode = args[0];
      if (args.length !== 1 || (mode !== 'env' && mode !== 'hosts'))
        throw new UsageError('Usage: multisite-local mode env|hosts [--project DIR] [--hosts-file FILE]');
      const warned = new Set<string>();
      const result = await withDaemon(true, async (link) => {
        await openProject(link, options);
        // What the doctor finds against hosts mode, said before switching; it never blocks the switch.
        if (mode === 'hosts') {
          const report = await doctor(link, projectDir, 'hosts', options.hostsFile).catch(() => null);
          for (const finding of report?.findings ?? []) warned.add(finding.message);
          for (const message of warned) process.stderr.write(`warning: ${message}\n`);
        }
        return link.connection.sendRequest(SetMode.type, { root: projectDir, mode, hostsFile: options.hostsFile });
      });
      for (const note of result.state.notes) if (!warned.has(note)) process.stderr.write(`warning: ${note}\n`);
      const how = mode === 'hosts' ? `routes by each site's domain (entries in ${result.state.hostsFile})` : 'routes by SITE_ID';
      return print(options.json, result, `${result.state.project.name} now ${how}${result.url ? `; current site at ${result.url}` : ''}.`);
    }
    case 'hosts': {
      const sub = args[0];
      if (args.length !== 1 || !['apply', 'remove', 'show'].includes(sub))
        throw new UsageError('Usage: multisite-local hosts apply|remove|show [--dry-run] [--hosts-file FILE]');
      if (sub === 'show') {
        const listing = await withDaemon(true, (link) => link.connection.sendRequest(ShowHosts.type, { hostsFile: options.hostsFile }));
        const text = listing.blocks.length
          ? listing.blocks.map((b) => `${b.root}\n${b.names.map((n) => `  ${n}`).join('\n')}`).join('\n')
          : `No entries of ours in ${listing.file}.`;
        return print(options.json, listing, text);
      }
      const change = await withDaemon(true, async (link) => {
        await openProject(link, options);
        const type = sub === 'apply' ? ApplyHosts.type : RemoveHosts.type;
        return link.connection.sendRequest(type, { root: projectDir, hostsFile: options.hostsFile, dryRun: options.dryRun });
      });
      return printEdits(options, [change], false);
    }
    case 'cleanup': {
      expectArgs(0, 'cleanup [--dry-run] [--hosts-file FILE]');
      const changes = await withDaemon(true, (link) => link.connection.sendRequest(CleanUp.type, { hostsFile: options.hostsFile, dryRun: options.dryRun }));
      return printEdits(options, changes, true);
    }
    case 'doctor': {
      if (args.length > 1) throw new UsageError('Usage: multisite-local doctor [DIR] [--project DIR ...] [--mode env|hosts] [--hosts-file FILE] [--json]');
      const checked = values.mode;
      if (checked !== undefined && checked !== 'env' && checked !== 'hosts') throw new UsageError(`--mode must be env or hosts, not "${checked}".`);
      const project = args.length === 1 ? path.resolve(args[0]) : projectDir;
      const report = await withDaemon(true, async (link) => {
        await openProject(link, { ...options, project });
        return link.connection.sendRequest(RunDoctor.type, { root: project, mode: checked, hostsFile: options.hostsFile, sharedWith: sharing });
      });
      print(options.json, report, formatDoctorReport(report));
      // Scripts and CI read the verdict from the exit code, with or without --json.
      if (hasErrors(report)) process.exitCode = 1;
      return;
    }
    case 'daemon':
      return daemonCommand(args, options);
    case undefined:
      throw new UsageError(USAGE);
    default:
      throw new UsageError(`Unknown command "${command}". Run multisite-local --help for the list.`);
  }
}

function doctor(link: DaemonLink, root: string, mode: RoutingMode | undefined, hostsFile: string | null): Promise<DoctorReport> {
  return link.connection.sendRequest(RunDoctor.type, { root, mode, hostsFile });
}

/** `cleanup` reports a list (one entry per file it looked at); `hosts apply|remove` one edit. */
function printEdits(options: Options, changes: HostsEdit[], asList: boolean): void {
  for (const note of changes.flatMap((c) => c.notes)) process.stderr.write(`warning: ${note}\n`);
  const text = changes
    .map((c) => (options.dryRun ? c.diff || `${c.file}: no change.` : c.changed ? `Updated ${c.file}.` : `${c.file}: already as it should be.`))
    .join('\n');
  print(options.json, asList ? changes : changes[0], text.trimEnd() || 'Nothing to clean up.');
}

function safeRealpath(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return dir;
  }
}

async function daemonCommand(args: string[], options: Options): Promise<void> {
  const [sub, ...rest] = args;
  if (rest.length > 0 || !['start', 'stop', 'status'].includes(sub ?? '')) {
    throw new UsageError('Usage: multisite-local daemon start|stop|status [--json]');
  }
  if (sub === 'stop') {
    // Works across versions: Shutdown's wire shape never changes.
    let discovery;
    try {
      discovery = await withDaemon(false, async (link) => {
        await link.connection.sendRequest(Shutdown.type);
        await link.closed;
        return link.discovery;
      });
    } catch (error) {
      if (error instanceof DaemonNotRunningError) return print(options.json, { stopped: false }, 'The daemon is not running.');
      throw error;
    }
    const { pid } = discovery;
    const deadline = Date.now() + 10_000;
    while (discoveredRuns(discovery) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    if (discoveredRuns(discovery)) throw new CliFailure(`The daemon (pid ${pid}) did not exit within 10 s.`, 'daemon-still-running');
    return print(options.json, { stopped: true, pid }, `Stopped the daemon (pid ${pid}).`);
  }
  let info, current;
  try {
    [info, current] = await withDaemon(
      sub === 'start',
      async (link) => [await link.connection.sendRequest(GetStatus.type), isCurrentVersion(link.discovery)] as const,
    );
  } catch (error) {
    if (error instanceof DaemonNotRunningError) throw new CliFailure(`No daemon is running for ${home().dir}.`, 'daemon-not-running');
    throw error;
  }
  const { pid, port, version: daemonVersion, protocol } = info.daemon;
  const other = current ? '' : `; this client is ${describeVersion(CLIENT_VERSION)}: the next command that needs the daemon replaces it once it serves nothing`;
  return print(
    options.json,
    { pid, port, version: daemonVersion, protocol: protocol ?? null, current },
    `Daemon pid ${pid} on 127.0.0.1:${port} (${describeVersion({ version: daemonVersion, protocol })}${other})`,
  );
}

const argv = process.argv.slice(2);
// Set exitCode and let Node end by itself: process.exit() would cut output still draining into a pipe.
void run(argv).then(
  () => (process.exitCode ??= 0), // a command may have set 1 itself (doctor found an error)
  (error: unknown) => (process.exitCode = reportFailure(error, argv.includes('--json'))),
);
