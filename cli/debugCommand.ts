/**
 * `debug SITE`: serves the site under debugpy and returns once the site answers and debugpy
 * listens, printing where a debugger attaches (any client of the Debug Adapter Protocol:
 * VS Code, nvim-dap, another editor), and the `pathMappings` it needs when the server sees its files
 * elsewhere (a compose service's mounts). `stop` ends it, as does a switch when one server serves
 * the project.
 */
import { DebugSite } from '../protocol/protocol';
import { siteLabel } from '../protocol/siteLabel';
import { expectArgs, openProject, withDaemon } from './cliContext';
import type { Command } from './cliContext';
import { confirmable, print } from './cliOutput';

export const debugCommand: Command = async (args, options) => {
  expectArgs(args, 1, 'debug SITE [--project DIR] [--yes] [--json]');
  const result = await withDaemon(true, async (link) => {
    await openProject(link, options, true);
    return confirmable(link.connection.sendRequest(DebugSite.type, { root: options.project, site: args[0], confirmed: options.yes }));
  });
  const { site, url, debugPort, pid, pathMappings } = result;
  const mapped = pathMappings.map((m) => `${m.localRoot} is ${m.remoteRoot} there`).join(', ');
  print(
    options.json,
    { site, url, debugPort, pid, pathMappings },
    `Debugging ${siteLabel(site)} at ${url}: debugpy listens on 127.0.0.1:${debugPort} (pid ${pid ?? '?'}); attach a debugger there (Debug Adapter Protocol)${mapped ? `, with pathMappings: ${mapped}` : ''}.`,
  );
};
