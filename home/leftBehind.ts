/**
 * Whether a daemon that no longer runs left changes to the outside world
 * behind: a journal still naming servers, hosts blocks, compose edits or
 * compose services, or a hosts file it was writing in place. A daemon that
 * exits normally undoes all of them first, so while no daemon runs any of
 * them means one stopped unexpectedly (killed, crashed), and a client starts a
 * daemon even where it would not have, so that its start-up recovery undoes
 * them at once. The records are only counted here, never interpreted: what
 * still needs undoing is the recovery's to decide.
 */
import { readdirSync } from 'node:fs';
import { IN_PLACE_RECORD } from './daemonHome';
import type { DaemonHome } from './daemonHome';
import { readPrivateFile } from './safeFile';

function holdsEntries(file: string): boolean {
  try {
    const text = readPrivateFile(file, `The journal ${file}`, 'delete it.');
    const parsed: unknown = text === null ? [] : JSON.parse(text);
    return Array.isArray(parsed) && parsed.length > 0;
  } catch {
    // Unreadable, or not a private file of ours: no evidence (the daemon counts a journal it cannot parse as empty too).
    return false;
  }
}

export function leftBehind(home: DaemonHome): boolean {
  if (home.journals.some(holdsEntries)) return true;
  try {
    return readdirSync(home.dir).some((name) => name.endsWith(IN_PLACE_RECORD));
  } catch {
    return false;
  }
}
