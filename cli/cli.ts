/**
 * `multisite-local`: the daemon's command-line client. This file reads the
 * command line and hands it to the command's own file.
 * Exit codes: 0 success, 1 failure (one sentence on stderr, or JSON on stdout with --json), 2 bad usage.
 */
// First: it makes dist/wire.js load through V8's code cache, before the modules below require it.
import './cliStartup';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { version } from '../package.json';
import type { Command, Options } from './cliContext';
import { UsageError, print, reportFailure } from './cliOutput';
import { daemon } from './daemonCommand';
import { debugCommand } from './debugCommand';
import { doctor, migrate, populate } from './databaseCommands';
import { hostsFileOption, routingOption, sitePortsOption, warmSitesOption } from './envOptions';
import { cleanup, hosts, mode } from './hostsCommands';
import { parsePortArgument } from './portArgument';
import { projectFolder } from './projectFolder';
import { isModuleName } from '../protocol/settingsModuleName';
import { openCommand, restart, start, stop, switchCommand } from './serveCommands';
import { sites } from './sitesCommand';
import { status } from './statusCommand';

const USAGE = `Usage: multisite-local <command> [options]

Commands:
  sites [--refresh]     list the project's sites and their domains (--refresh: read the Sites table again)
  switch SITE           serve SITE (slug, id, name or domain); returns when it answers
  debug SITE            serve SITE under debugpy; returns when debugpy listens (its requests wait),
                        printing the port a debugger attaches to (stop, or Stop Debugging, ends it)
  open SITE [--browser] make SITE answer at its own address and print it (--browser: open it there)
  status                the daemon, and the project's current site, mode and server
  start [SITE]          serve the project (its current site, else its first); answers once it does
  restart [SITE]        stop the project's server, then start it
  stop                  stop the project's server
  migrate               apply the project's migrations to its database; refused while the projects
                        sharing that database have other migrations
  populate              write the sites the settings declare into django-multisite-plus's table
                        (manage.py multisite_plus_populate_sites, then multisite_plus_rewrite_domains)
  mode env|hosts        leave hosts mode (env: every site at once; SITE_ID mode with --warm-sites 0),
                        or route by each site's domain through the hosts file (hosts: hosts mode)
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
  --routing R           how the proxy reaches the sites: siteIdPerRequest, siteId, host or auto (the
                        project's default); kept for later commands; multisite.json's "routing" wins
  --site-ports N|false  where the sites' own ports begin (every site also at http://127.0.0.1:<its port>/;
                        default: next to the project's port; kept across restarts); false: none
  --settings MODULE     the settings module to run the project with (DJANGO_SETTINGS_MODULE), instead
                        of the one manage.py (or .env, pyproject.toml, multisite.json) names; kept
                        for the project's later commands; --settings "" goes back to the project's own
  --hosts-file FILE     hosts file to edit in hosts mode (also MULTISITE_LOCAL_HOSTS_FILE)
  --mode env|hosts      with doctor: the mode to check
  --dry-run             with hosts and cleanup: print the change as a diff, write nothing
  --yes                 with start, restart, switch, open: start even though the projects sharing the
                        database have other migrations (the schema guard refused)
  --json                machine-readable output (errors too: {"error": {"code", "message"}})
  -h, --help            this help
  -v, --version         the version`;

const COMMANDS: Record<string, Command> = {
  sites,
  switch: switchCommand,
  debug: debugCommand,
  open: openCommand,
  start,
  restart,
  stop,
  status,
  migrate,
  populate,
  mode,
  hosts,
  cleanup,
  doctor,
  daemon,
};

const OPTIONS = {
  project: { type: 'string', multiple: true },
  json: { type: 'boolean', default: false },
  port: { type: 'string' },
  'hosts-file': { type: 'string' },
  'dry-run': { type: 'boolean', default: false },
  mode: { type: 'string' },
  refresh: { type: 'boolean', default: false },
  'warm-sites': { type: 'string' },
  'site-ports': { type: 'string' },
  routing: { type: 'string' },
  settings: { type: 'string' },
  browser: { type: 'boolean', default: false },
  yes: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', short: 'v', default: false },
} as const;

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

async function run(argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv);
  if (values.help) return print(false, null, USAGE);
  if (values.version) return print(false, null, version);
  const port = values.port === undefined ? null : parsePortArgument(values.port);
  if (values.port !== undefined && port === null) {
    throw new UsageError(`--port must be a TCP port number written in decimal digits (1-65535), not "${values.port}".`);
  }
  if (values.settings !== undefined && values.settings !== '' && !isModuleName(values.settings)) {
    throw new UsageError(`--settings must be a dotted Python module such as mysite.settings.local, not ${JSON.stringify(values.settings)}.`);
  }
  const [command, ...args] = positionals;
  const [first, ...sharing] = (values.project ?? []).map((dir) => path.resolve(dir));
  // Several projects make sense only to the doctor: it compares the schema of projects sharing a database.
  if (sharing.length > 0 && command !== 'doctor')
    throw new UsageError('Only doctor takes --project more than once (to compare projects that share a database).');
  const options: Options = {
    project: projectFolder(first ?? process.cwd()),
    sharing,
    json: values.json,
    port,
    hostsFile: hostsFileOption(values['hosts-file']),
    dryRun: values['dry-run'],
    refresh: values.refresh,
    warmSites: warmSitesOption(values['warm-sites']),
    sitePorts: sitePortsOption(values['site-ports']),
    routing: routingOption(values.routing),
    mode: values.mode,
    browser: values.browser,
    yes: values.yes,
    settings: values.settings ?? null,
  };
  if (command === undefined) throw new UsageError(USAGE);
  const handler = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!handler) throw new UsageError(`Unknown command "${command}". Run multisite-local --help for the list.`);
  await handler(args, options);
}

const argv = process.argv.slice(2);
// Set exitCode and let Node end by itself: process.exit() would cut output still draining into a pipe.
void run(argv).then(
  () => (process.exitCode ??= 0), // a command may have set 1 itself (doctor found an error)
  (error: unknown) => (process.exitCode = reportFailure(error, argv.includes('--json'))),
);
