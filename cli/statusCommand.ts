/** `status`: the daemon and every project it has open, each with its state, address and port. */
import { realpathSync } from 'node:fs';
import { DaemonNotRunningError } from '../client/daemonClient';
import { urlPort } from '../protocol/domainUrl';
import { GetStatus } from '../protocol/protocol';
import { expectArgs, withDaemon } from './cliContext';
import type { Command } from './cliContext';
import { print } from './cliOutput';
import { describeState } from './cliText';

function safeRealpath(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return dir;
  }
}

export const status: Command = async (args, options) => {
  expectArgs(args, 0, 'status [--project DIR] [--json]');
  let result;
  try {
    result = await withDaemon(false, (link) => link.connection.sendRequest(GetStatus.type));
  } catch (error) {
    if (!(error instanceof DaemonNotRunningError)) throw error;
    return print(options.json, { daemon: null, project: null, projects: [] }, 'The daemon is not running; no server is running.');
  }
  const canonical = safeRealpath(options.project);
  const project = result.projects.find((p) => p.project.root === canonical) ?? null;
  const { pid, port, version, protocol } = result.daemon;
  const text = [`Daemon pid ${pid} on 127.0.0.1:${port} (version ${version})`, ...result.projects.map(describeState)];
  print(
    options.json,
    {
      daemon: { pid, port, version, protocol },
      project,
      currentSite: project?.currentSite ?? null,
      mode: project?.mode ?? null,
      server: project?.server ?? null,
      // Each project's address and port beside its state: several projects run at once, each on its own port.
      projects: result.projects.map((p) => ({ ...p, url: p.siteUrl ?? p.server.url, port: p.server.url ? urlPort(p.server.url) : null })),
    },
    text.join('\n'),
  );
};
