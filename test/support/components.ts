/**
 * Real components the tests need. Outside CI a missing one skips its suite
 * with a loud message; under CI=true it fails, because CI installs them all.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { postgresBinDir } from './postgresBinaries';

export const CODE_SERVER = path.join(
  process.env.MULTISITE_LOCAL_TOOLS ?? path.join(os.homedir(), '.cache', 'multisite-local-tools'),
  'code-server',
  'node_modules',
  '.bin',
  'code-server',
);
export const CHROMIUM = '/usr/bin/chromium';

/** Whether /usr/bin/python3 (what the fixtures' venvs see) can import `modules`. */
function pythonImports(modules: string): boolean {
  try {
    execFileSync('/usr/bin/python3', ['-c', `import ${modules}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const probes: Record<string, () => boolean> = {
  django: () => pythonImports('django'),
  // django-treebeard, whose page tree the Wagtail stand-in (test/fixtures/frameworks/wagtail) builds on, as Wagtail does.
  treebeard: () => pythonImports('treebeard'),
  // Django Channels and Daphne, whose runserver serves ASGI (WebSockets included).
  channels: () => pythonImports('daphne, channels'),
  // debugpy, the debugger Debug Site serves a site under (Debian's python3-debugpy).
  debugpy: () => pythonImports('debugpy'),
  'code-server': () => existsSync(CODE_SERVER),
  chromium: () => existsSync(CHROMIUM),
  docker: () => ['/usr/sbin/dockerd', '/usr/bin/docker-compose'].every((f) => existsSync(f)),
  // Server binaries for a private PostgreSQL server (test/support/postgres.ts), and Django's PostgreSQL driver.
  postgres: () => postgresBinDir() !== undefined && pythonImports('psycopg2'),
  // Root and util-linux's unshare: private mount namespaces (bind mounts, a small tmpfs, read-only mounts).
  'mount-namespace': () => process.getuid?.() === 0 && ['/usr/bin/unshare', '/usr/bin/mount'].every((f) => existsSync(f)),
  // Root, a compiler for the pkexec stand-in, and the util-linux tools to run as another user in a namespace.
  'elevation-harness': () =>
    process.getuid?.() === 0 && ['/usr/bin/gcc', '/usr/bin/setpriv', '/usr/bin/unshare', '/usr/sbin/useradd'].every((f) => existsSync(f)),
};

/** A real component a suite can require. */
export type Component = keyof typeof probes;

export function requireComponents(context: Mocha.Context, ...names: Component[]): void {
  const missing = names.filter((name) => !probes[name]());
  if (missing.length === 0) return;
  const message = `missing real component(s): ${missing.join(', ')}; run scripts/install-system-deps.sh`;
  if (process.env.CI === 'true') throw new Error(`${message} (CI must never skip)`);
  console.warn(`SKIPPING: ${message}`);
  context.skip();
}
