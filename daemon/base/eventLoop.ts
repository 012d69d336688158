/**
 * Long work in the daemon (a hosts file of 100,000 lines, a block of 5,000
 * names) runs in parts with a turn of the event loop between them, so that
 * other clients' requests and handshakes are answered meanwhile: the daemon
 * serves every VS Code window and CLI of the user at once.
 */

const immediate = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Resolves once a request that arrived meanwhile has been answered. Work going
 * on from inside an I/O callback: the first immediate runs in this turn's check
 * phase; the second in the next turn's, after that turn's poll has read what
 * arrived and vscode-jsonrpc has queued its dispatch (a setImmediate of its
 * own), which runs before the third.
 */
export async function nextTurn(): Promise<void> {
  await immediate();
  await immediate();
  await immediate();
}
