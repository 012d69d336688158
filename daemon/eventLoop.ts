/**
 * Long work in the daemon (a hosts file of 100,000 lines, a block of 5,000
 * names) runs in parts with a turn of the event loop between them, so that
 * other clients' requests and handshakes are answered meanwhile: the daemon
 * serves every VS Code window and CLI of the user at once.
 */

/** Resolves after pending I/O (other clients' messages) has been handled. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
