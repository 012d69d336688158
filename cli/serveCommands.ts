/** `switch`, `open`, `start`, `restart` and `stop`: serving a project's sites, one project at a time. */
import * as path from 'node:path';
import { DaemonNotRunningError } from '../client/daemonClient';
import { OpenSite, StartServer, StopServer, SwitchSite } from '../protocol/protocol';
import { urlPort } from '../protocol/domainUrl';
import { siteLabel } from '../protocol/siteLabel';
import { expectArgs, openProject, withDaemon } from './cliContext';
import type { Command } from './cliContext';
import { formatElapsed } from './cliText';
import { UsageError, confirmable, print } from './cliOutput';
import { openInBrowser } from './openInBrowser';

export const switchCommand: Command = async (args, options) => {
  expectArgs(args, 1, 'switch SITE [--project DIR] [--yes] [--json]');
  const result = await withDaemon(true, async (link) => {
    await openProject(link, options, true);
    // Progress for a person watching; a script reads stderr for the one sentence of a failure.
    if (!options.json && process.stderr.isTTY) process.stderr.write(`Switching ${path.basename(options.project)} to ${args[0]}…\n`);
    return confirmable(link.connection.sendRequest(SwitchSite.type, { root: options.project, site: args[0], confirmed: options.yes }));
  });
  const name = siteLabel(result.site);
  const how = result.mode === 'hosts' ? 'chosen by its domain' : `SITE_ID=${result.site.id}`;
  const also = [result.localhostUrl, result.site.portUrl].filter((url) => url !== null);
  const own = also.length ? `; also at ${also.join(' and ')}` : '';
  print(options.json, result, `Serving ${name} (${how}) at ${result.url}${own} (${formatElapsed(result.elapsedMs)})`);
};

export const openCommand: Command = async (args, options) => {
  expectArgs(args, 1, 'open SITE [--browser] [--project DIR] [--yes] [--json]');
  const result = await withDaemon(true, async (link) => {
    await openProject(link, options, true);
    return confirmable(link.connection.sendRequest(OpenSite.type, { root: options.project, site: args[0], confirmed: options.yes }));
  });
  const url = result.localhostUrl ?? result.url;
  if (options.browser) await openInBrowser(url);
  print(options.json, result, url);
};

/**
 * `start` and `restart`: serve a project without naming a site (its current one, else its first), for
 * launching and stopping projects one by one; one request, a restart's stop included. Like `switch`, a
 * start of a project whose database is shared with projects of other migrations is refused until `--yes`.
 */
function startCommand(restart: boolean): Command {
  return async (args, options) => {
    const command = restart ? 'restart' : 'start';
    if (args.length > 1) throw new UsageError(`Usage: multisite-local ${command} [SITE] [--project DIR] [--yes] [--json]`);
    const result = await withDaemon(true, async (link) => {
      await openProject(link, options);
      return confirmable(link.connection.sendRequest(StartServer.type, { root: options.project, site: args[0] ?? null, restart, confirmed: options.yes }));
    });
    const port = urlPort(result.url);
    const text = `Serving ${siteLabel(result.site)} of ${path.basename(options.project)} at ${result.url} (port ${port}, ${formatElapsed(result.elapsedMs)})`;
    print(options.json, { ...result, port }, text);
  };
}

export const start = startCommand(false);
export const restart = startCommand(true);

/** Stops the project's server. With no daemon running nothing runs, so none is started to stop nothing. */
export const stop: Command = async (args, options) => {
  expectArgs(args, 0, 'stop [--project DIR] [--json]');
  let state;
  try {
    state = await withDaemon(false, async (link) => {
      await openProject(link, options);
      return link.connection.sendRequest(StopServer.type, { root: options.project });
    });
  } catch (error) {
    if (!(error instanceof DaemonNotRunningError)) throw error;
    return print(options.json, { stopped: false }, 'Nothing to stop: the daemon is not running.');
  }
  print(options.json, state, `Stopped the server of ${state.project.name}.`);
};
