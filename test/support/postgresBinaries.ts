/**
 * Where the machine's PostgreSQL server binaries are: what the `postgres`
 * component probe checks and what the private test server runs.
 */
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';

const DEBIAN_ROOT = '/usr/lib/postgresql';

/**
 * The folder holding `initdb` and `postgres` (both from one folder, so one
 * version): /usr/local/bin, else Debian's /usr/lib/postgresql/VERSION/bin,
 * newest first. Undefined when the machine has no server binaries.
 */
export function postgresBinDir(): string | undefined {
  const versions = existsSync(DEBIAN_ROOT)
    ? readdirSync(DEBIAN_ROOT)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const candidates = ['/usr/local/bin', ...versions.map((v) => path.join(DEBIAN_ROOT, v, 'bin'))];
  return candidates.find((dir) => existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'postgres')));
}
