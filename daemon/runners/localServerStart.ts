/**
 * Starting runserver on a port that may be taken. The free port is chosen
 * before runserver binds it, so another process (another project's server)
 * can take it in between; runserver then exits saying so, and the start is
 * tried again on another free port, with one line in the log naming the
 * holder. A start is done only when our own process answers (RunningServer).
 */
import { choosePort } from './freePort';
import type { RunningServer } from './runningServer';
import { describePortHolder } from './portOwner';

/** How many ports are tried before the start fails. */
const ATTEMPTS = 3;

export interface LocalStart {
  /** The port the caller needs (hosts mode's), asked once the old server is gone; null for the preferred port or any free one. */
  fixedPort: (() => Promise<number>) | null;
  preferredPort: number;
  signal: AbortSignal;
  timeoutMs: number;
  log(text: string): void;
  /** Starts runserver on `port`; the caller records and journals it before it can be needed. */
  spawn(port: number): RunningServer;
  /** Stops a server that could not start, and forgets it. */
  discard(server: RunningServer): Promise<void>;
}

export async function startLocalServer(start: LocalStart): Promise<RunningServer> {
  for (let attempt = 1; ; attempt++) {
    const port = start.fixedPort ? await start.fixedPort() : await choosePort(start.preferredPort);
    // Preferred port 0: any free one will do (a backend behind the proxy), nothing to tell.
    if (start.fixedPort === null && start.preferredPort !== 0 && port !== start.preferredPort) {
      start.log(`Port ${start.preferredPort} is in use by ${await describePortHolder(start.preferredPort)}, so runserver uses port ${port}.`);
    }
    const server = start.spawn(port);
    try {
      await server.waitUntilReady(start.timeoutMs, start.signal);
      return server;
    } catch (error) {
      if (!server.portTaken || start.signal.aborted) throw error;
      const taken = `port ${port} is in use by ${await describePortHolder(port)}`;
      if (start.fixedPort !== null || attempt >= ATTEMPTS) throw new Error(taken);
      await start.discard(server);
      start.log(`runserver could not listen: ${taken}, taken just before runserver bound it; trying another port.`);
    }
  }
}
