/** `daemon start|stop|status`: the daemon itself, whichever version it is. */
import { DaemonNotRunningError } from '../client/daemonClient';
import { CLIENT_VERSION, describeVersion, isCurrentVersion } from '../client/daemonVersion';
import { discoveredRuns } from '../home/discovery';
import { GetStatus, Shutdown } from '../protocol/protocol';
import { home, withDaemon } from './cliContext';
import type { Command } from './cliContext';
import { CliFailure, UsageError, print } from './cliOutput';

export const daemon: Command = async (args, options) => {
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
  const { pid, port, version, protocol } = info.daemon;
  const other = current ? '' : `; this client is ${describeVersion(CLIENT_VERSION)}: the next command that needs the daemon replaces it once it serves nothing`;
  print(
    options.json,
    { pid, port, version, protocol: protocol ?? null, current },
    `Daemon pid ${pid} on 127.0.0.1:${port} (${describeVersion({ version, protocol })}${other})`,
  );
};
