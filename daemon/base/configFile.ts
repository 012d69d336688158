/**
 * Reading a file of a project's config (settings modules, env files, the
 * compose file, multisite.json) within bounds. Anything in a project folder
 * can be planted or generated: a file of gigabytes, a named pipe that never
 * ends, a link to /dev/zero; read whole, one of them stalls or exhausts the
 * daemon that serves every project of the user. So a config file is read only
 * when it is a regular file of at most CONFIG_MAX_BYTES (far beyond real ones:
 * 5,000 sites in settings take 0.6 MB), and is otherwise refused in one
 * sentence naming it and the limit: a config error (4010) like any other,
 * which each reader reports at the file while the other sources are still
 * read. Its parser bounds how deep values may nest (MAX_NESTING) the same way,
 * as a recursive parser given 100,000 levels ends in a stack overflow.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import { DaemonError } from './daemonError';
import { DaemonErrorCode } from '../../protocol/protocol';

export const CONFIG_MAX_BYTES = 2 << 20;
/** How deep the values of a JSON or YAML config file may nest: multisite.json needs 4 levels, a compose file rarely 10. */
export const MAX_NESTING = 64;

// Undefined on Windows, where 0 adds nothing to the flags.
const NONBLOCK: number = constants.O_NONBLOCK ?? 0;

/** A config file refused before it was parsed: one sentence naming the file and the bound it broke. */
export class ConfigFileRefused extends DaemonError {
  constructor(
    readonly file: string,
    /** Why, as a clause: "it is larger than 2 MB, the most a config file may be". */
    readonly reason: string,
    /** Where it was refused, when known (the line where values nest too deep). */
    readonly line: number | null = null,
  ) {
    super(DaemonErrorCode.ConfigInvalid, `${path.basename(file)} was not read: ${reason}.`);
  }
}

const shownSize = (bytes: number): string => (bytes >= 1 << 20 ? `${bytes / (1 << 20)} MB` : `${bytes / 1024} KB`);

/** Why a file over `maxBytes` is refused, as a clause naming the limit. */
export function tooLarge(maxBytes: number, what = 'a config file'): string {
  return `it is larger than ${shownSize(maxBytes)}, the most ${what} may be`;
}

/** Why values nesting deeper than MAX_NESTING are refused, as a clause naming the limit (and the line, when the sentence has none). */
export function tooDeep(line: number | null): string {
  return `its values nest more than ${MAX_NESTING} levels deep${line === null ? '' : ` on line ${line}`}, the most a config file may`;
}

/** Reads what `handle` holds, refusing it once it holds more than `maxBytes` (it may grow after fstat, or not say its size). */
async function readBounded(handle: FileHandle, file: string, size: number, maxBytes: number, what: string): Promise<string> {
  let buffer = Buffer.alloc(Math.min(size, maxBytes) + 1);
  let length = 0;
  for (;;) {
    const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
    if (bytesRead === 0) return buffer.toString('utf8', 0, length);
    length += bytesRead;
    if (length === buffer.length) {
      if (length > maxBytes) throw new ConfigFileRefused(file, tooLarge(maxBytes, what));
      buffer = Buffer.concat([buffer, Buffer.alloc(Math.min(length, maxBytes + 1 - length))]);
    }
  }
}

/**
 * The text of `file` (decoded as UTF-8, as readFile does), or null when there is none or it
 * cannot be read (as before these bounds); ConfigFileRefused when it is no regular file or
 * holds more than `maxBytes` (`what` names the kind of file in that sentence).
 */
export async function readConfigText(file: string, maxBytes = CONFIG_MAX_BYTES, what = 'a config file'): Promise<string | null> {
  let handle: FileHandle;
  try {
    // Non-blocking: opening a named pipe would otherwise wait for a writer.
    handle = await open(file, constants.O_RDONLY | NONBLOCK);
  } catch {
    return null;
  }
  try {
    const stats = await handle.stat();
    if (stats.isDirectory()) return null;
    if (!stats.isFile()) throw new ConfigFileRefused(file, 'it is not a regular file but a pipe, socket or device');
    if (stats.size > maxBytes) throw new ConfigFileRefused(file, tooLarge(maxBytes, what));
    return await readBounded(handle, file, stats.size, maxBytes, what);
  } finally {
    await handle.close();
  }
}
