/**
 * Long work in the daemon (a hosts file of 100,000 lines, a block of 5,000
 * names) runs in parts with a turn of the event loop between them, so that
 * other clients' requests and handshakes are answered meanwhile: the daemon
 * serves every VS Code window and CLI of the user at once.
 */

const immediate = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Resolves once pending I/O has been handled, including what it schedules in
 * turn: a request read from a socket is dispatched by vscode-jsonrpc in a
 * setImmediate of its own, queued after ours, so a second one lets it run first.
 */
export async function nextTurn(): Promise<void> {
  await immediate();
  await immediate();
}
