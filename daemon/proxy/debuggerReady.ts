/**
 * When a backend started under debugpy is handed to a debugger: as soon as
 * debugpy listens in it, not once the site answers (issue 24: the CLI's
 * `debug` returns once debugpy listens). The server keeps starting meanwhile
 * and the proxy holds the site's requests until it answers, as for any backend
 * starting. A plain start takes about as long as debugpy takes to listen;
 * the site's page under debugpy several times that (npm run bench, figure 9).
 */
import { setTimeout as delay } from 'node:timers/promises';
import { canSeeListeners, isListening } from '../runners/portOwner';
import type { Backend } from './backend';

/** How often to look: a look at /proc costs well under a millisecond. */
const LOOK_MS = 10;

/**
 * Resolves with the backend `current()` returns once it is the one debugged on `port` (spawned, and
 * debugpy listening there); else as `answered` settles (the backend answered, or why it could not start).
 */
export async function debuggerCanAttach(current: () => Backend | undefined, port: number, answered: Promise<Backend>): Promise<Backend> {
  let settled = false;
  const settles = answered.then(
    () => (settled = true),
    () => (settled = true),
  );
  // Where nobody can tell (no /proc): once the server answers, as debugpy listens before manage.py runs.
  while (!settled && canSeeListeners()) {
    const backend = current();
    if (backend?.spec.debug?.port === port && backend.pid !== null && isListening(port)) return backend;
    await Promise.race([delay(LOOK_MS), settles]);
  }
  return answered;
}
