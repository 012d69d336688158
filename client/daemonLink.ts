/** An open, authenticated connection to the daemon, as the CLI and the extension hold it. */
import type { MessageConnection } from '../protocol/wire';
import type { Discovery } from '../home/discovery';

export interface DaemonLink {
  connection: MessageConnection;
  discovery: Discovery;
  /** Resolves when the socket closes (daemon exit, crash or dispose). */
  closed: Promise<void>;
  /** Closes the connection and its socket (so a CLI process can end by itself). */
  dispose(): void;
}
