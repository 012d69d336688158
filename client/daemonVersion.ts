/**
 * What a client does when the running daemon is of another version: an
 * upgraded extension (or CLI) must not silently talk to the daemon an older
 * one started, nor the other way round. An idle daemon (no server running) is
 * asked to shut down so that ours can start; a busy one is left alone, with
 * one sentence saying how to replace it. This relies only on GetStatus and
 * Shutdown, whose wire shape never changes (see protocol.ts).
 */
import { version } from '../package.json';
import type { DaemonLink } from './daemonLink';
import { discoveredRuns } from '../home/discovery';
import type { Discovery } from '../home/discovery';
import { GetStatus, PROTOCOL_VERSION, Shutdown } from '../protocol/protocol';

const EXIT_TIMEOUT_MS = 10_000;

/** A daemon of another version serves projects: the person decides when to stop them. */
export class DaemonVersionError extends Error {}

/** The product and protocol version of this client. */
export const CLIENT_VERSION = { version, protocol: PROTOCOL_VERSION };

/** Whether the discovered daemon speaks our protocol and is our product version. */
export function isCurrentVersion(discovery: Discovery): boolean {
  return discovery.protocol === PROTOCOL_VERSION && discovery.version === version;
}

export function describeVersion(discovery: Pick<Discovery, 'version' | 'protocol'>): string {
  return `version ${discovery.version ?? 'unknown'}, protocol ${discovery.protocol ?? 'unknown'}`;
}

/** Shuts the daemon behind `link` down if it serves nothing, and waits until it has exited; throws when it is busy. */
export async function replaceOtherVersion(link: DaemonLink): Promise<void> {
  const { discovery } = link;
  const theirs = `A daemon of ${describeVersion(discovery)} (pid ${discovery.pid})`;
  const ours = `this client is ${describeVersion(CLIENT_VERSION)}`;
  const advice = 'stop it with `multisite-local daemon stop` (this stops its servers) and try again';
  try {
    let busy: string[];
    try {
      const status = await link.connection.sendRequest(GetStatus.type);
      busy = status.projects.filter((p) => p.server.phase === 'running' || p.server.phase === 'starting').map((p) => p.project.name);
    } catch {
      throw new DaemonVersionError(`${theirs} is running, ${ours}, and it could not tell what it serves; ${advice}.`);
    }
    if (busy.length > 0) throw new DaemonVersionError(`${theirs} is serving ${busy.join(', ')}, and ${ours}; ${advice}.`);
    await link.connection.sendRequest(Shutdown.type);
    await Promise.race([link.closed, new Promise((resolve) => setTimeout(resolve, EXIT_TIMEOUT_MS).unref())]);
  } finally {
    link.dispose();
  }
  const deadline = Date.now() + EXIT_TIMEOUT_MS;
  while (discoveredRuns(discovery) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  if (discoveredRuns(discovery)) throw new DaemonVersionError(`${theirs} was asked to shut down but still runs after 10 s; ${advice}.`);
}
