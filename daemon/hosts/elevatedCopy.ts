/**
 * Writes a file the daemon may not write (the system hosts file) with the
 * user's permission: one administrator prompt per change, running a fixed
 * command of ours. @vscode/sudo-prompt runs that command through a shell and
 * escapes only `"`, so every path it sees (the file the daemon staged and
 * validated, the target, and the daemon's working directory) must be a plain
 * absolute path; anything else is refused before a prompt is ever shown.
 * `cp` onto the existing file writes in place, which bind mounts need too.
 */
import * as sudo from '@vscode/sudo-prompt';
import { firstSentence } from '../base/sentence';

const PLAIN_PATH = /^\/[A-Za-z0-9_./-]+$/;

/** The hosts file could not be written with administrator rights; the message says why, for a person. */
export class ElevationError extends Error {}

/** The command the prompt runs, or an error when a path is not plain enough to put in a shell. */
export function elevatedCopyCommand(staged: string, target: string, cwd: string): string {
  for (const [what, value] of [
    ['hosts file path', target],
    ['staging path', staged],
    ["daemon's folder", cwd],
  ] as const) {
    if (!PLAIN_PATH.test(value) || value.includes('..')) {
      throw new ElevationError(`The ${what} ${JSON.stringify(value)} has characters that cannot be passed to an administrator prompt safely`);
    }
  }
  return `/bin/cp -- "${staged}" "${target}"`;
}

/** What a failed prompt means for a person: cancelled, or sudo-prompt's first sentence (its later lines repeat our command). */
export function elevationFailure(error: Error): ElevationError {
  const cancelled = /did not grant permission/i.test(error.message);
  return new ElevationError(cancelled ? 'The administrator prompt was cancelled' : `The administrator prompt failed: ${firstSentence(error.message)}`);
}

export function copyElevated(staged: string, target: string): Promise<void> {
  if (process.platform === 'win32') {
    return Promise.reject(new ElevationError('Writing the hosts file as administrator is not supported on Windows yet; run VS Code as administrator'));
  }
  const command = elevatedCopyCommand(staged, target, process.cwd());
  return new Promise((resolve, reject) => {
    sudo.exec(command, { name: 'Django Multi Site Local' }, (error) => {
      if (!error) return resolve();
      reject(elevationFailure(error));
    });
  });
}
