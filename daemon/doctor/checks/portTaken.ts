/**
 * port-taken: the port the mode checked serves on is held by a process other
 * than this project's own server (or proxy). Hosts mode wants 80, so URLs
 * carry no port; SITE_ID mode the project's port (multisite.json, the client's
 * choice, or the compose file's published one). Either way the daemon serves
 * on another port instead, so this is a warning naming the holder.
 */
import { readComposeFile } from '../../compose/composeFile';
import { findWebPort } from '../../compose/composePorts';
import type { DoctorFinding, RoutingMode } from '../../../protocol/protocol';
import { describeHolder, portHolder } from '../../runners/portOwner';
import type { PortHolder } from '../../runners/portOwner';
import type { DoctorCheck, DoctorContext } from '../doctorCheck';

/** `holder` for people; the daemon itself holds its proxies' ports (another project's, then). */
function whoHolds(holder: PortHolder, daemonPid: number): string {
  return holder !== null && holder !== 'unseen' && holder.pid === daemonPid ? 'this daemon (serving another project)' : describeHolder(holder);
}

export function portTakenFinding(port: number, mode: RoutingMode, holder: PortHolder, daemonPid = process.pid): DoctorFinding {
  const who = whoHolds(holder, daemonPid);
  const message =
    mode === 'hosts'
      ? `Port 80 is in use by ${who}, so in hosts mode the sites' URLs would carry another port: stop that process to serve them on 80.`
      : `Port ${port} is in use by ${who}, so the project would be served on another free port: stop that process, or choose another port ("port" in multisite.json, or --port).`;
  return { code: 'port-taken', severity: 'warning', message, file: null, line: null };
}

/** The port the mode checked serves on: 80 in hosts mode; a compose project restarted per switch publishes its own. */
async function portOf(context: DoctorContext): Promise<number> {
  if (context.mode === 'hosts') return 80;
  if (context.runner === 'compose' && context.strategy === 'restart') {
    // A compose file refused for its size or depth is the config-error check's finding; here the port falls back.
    const compose = await readComposeFile(context.root).catch(() => null);
    const found = compose ? findWebPort(compose.text) : null;
    if (found?.ok && found.port.published !== null) return found.port.published;
  }
  return context.port;
}

export const portTaken: DoctorCheck = {
  code: 'port-taken',
  run: async (context) => {
    const port = await portOf(context);
    if (context.ownPorts.includes(port)) return [];
    const holder = await portHolder(port);
    return holder === null ? [] : [portTakenFinding(port, context.mode, holder)];
  },
};
