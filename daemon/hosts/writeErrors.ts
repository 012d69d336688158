/**
 * What the system says when a hosts file cannot be written, as one sentence
 * for a person: a full disk, a read-only file system. Nothing was changed in
 * either case (the writer puts back what it had begun).
 */
import * as path from 'node:path';
import { HostsFileError } from './hostsFileCheck';

/** The file is on a read-only file system: no administrator prompt can help. */
export class HostsPermissionError extends Error {
  constructor(readonly file: string) {
    super(`${file} is on a read-only file system`);
  }
}

/** `error` as a sentence when it is one of the system's that a person can act on; otherwise `error` itself. */
export function systemErrorSentence(error: unknown, file: string): unknown {
  const { code, path: where } = error as NodeJS.ErrnoException;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    const folder = where ? path.dirname(where) : path.dirname(file);
    return new HostsFileError(
      `No space is left on the disk holding ${folder}${code === 'EDQUOT' ? ' (your quota is used up)' : ''}, so ${file} was not changed; free some space and try again.`,
    );
  }
  if (code === 'EROFS') return new HostsPermissionError(file);
  return error;
}
