/**
 * A private PostgreSQL server for one test suite, started from the machine's
 * server binaries: a cluster initialised in a temp folder, listening on
 * 127.0.0.1 on a free port with its unix socket in the same folder, trust
 * authentication, no password. initdb and postgres refuse to run as root, so
 * under root both run as an unprivileged user that owns the folder. The
 * machine's own clusters, if any, are not touched. `stop()` ends the server by
 * its pid and process group and removes the folder.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chownSync, closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { choosePort } from '../../daemon/runners/freePort';
import { groupAlive, killGroup } from '../../daemon/base/processGroup';
import { requireComponents } from './components';
import { postgresBinDir } from './postgresBinaries';
import { sleep } from './processes';
import { tempFolder } from './tempProject';

/** The superuser initdb creates, and the database that always exists. */
export const POSTGRES_USER = 'postgres';
const SERVER_ACCOUNT = 'msl-postgres';

/** Who runs the server: ourselves, or under root the `postgres` account (Debian's package makes it) or one of our own. */
export interface ServerAccount {
  uid: number;
  gid: number;
}

function accountOf(name: string): ServerAccount | undefined {
  try {
    const id = (flag: string): number => Number(execFileSync('id', [flag, name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    return undefined;
  }
}

/** Undefined when we are not root: then the server simply runs as us. */
export function serverAccount(): ServerAccount | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const existing = accountOf(POSTGRES_USER) ?? accountOf(SERVER_ACCOUNT);
  if (existing) return existing;
  try {
    execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', SERVER_ACCOUNT], { stdio: 'ignore' });
  } catch {
    // Another suite may have created it meanwhile; looked up again below.
  }
  const created = accountOf(SERVER_ACCOUNT);
  if (!created) throw new Error(`could not create the unprivileged account ${SERVER_ACCOUNT} to run PostgreSQL as`);
  return created;
}

function run(file: string, args: string[], options: { cwd: string; account?: ServerAccount; timeout: number }): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd: options.cwd, timeout: options.timeout, uid: options.account?.uid, gid: options.account?.gid }, (error, stdout, stderr) =>
      error ? reject(new Error(`${path.basename(file)} failed: ${error.message}\n${stderr}`)) : resolve(stdout),
    );
  });
}

// Creates a database through psycopg2 (Django's driver): the client programs (psql, createdb) may be absent.
const CREATE_DATABASE = `
import sys, psycopg2
from psycopg2 import sql
host, port, user, name = sys.argv[1:]
connection = psycopg2.connect(host=host, port=port, user=user, dbname="postgres")
connection.autocommit = True  # CREATE DATABASE cannot run inside a transaction
connection.cursor().execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
connection.close()
`;

export class PostgresServer {
  readonly host = '127.0.0.1';
  readonly user = POSTGRES_USER;

  private constructor(
    /** Temp folder: `data/` (the cluster), the unix socket, `server.log`. */
    readonly dir: string,
    readonly port: number,
    private readonly server: ChildProcess,
  ) {}

  /** Initialises a cluster and starts its server; resolves once it accepts connections. */
  static async start(): Promise<PostgresServer> {
    const bin = postgresBinDir();
    if (!bin) throw new Error('no PostgreSQL server binaries (initdb, postgres); run scripts/install-system-deps.sh');
    const account = serverAccount();
    const dir = tempFolder('postgres');
    try {
      if (account) chownSync(dir, account.uid, account.gid);
      const data = path.join(dir, 'data');
      await run(
        path.join(bin, 'initdb'),
        ['-D', data, '-U', POSTGRES_USER, '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync', '--no-instructions'],
        { cwd: dir, account, timeout: 60_000 },
      );
      // The port is free when chosen but may be taken before postgres binds it: try another.
      for (let attempt = 1; ; attempt++) {
        const port = await choosePort(25_432 + (process.pid % 1000));
        const server = spawnServer(bin, dir, port, account);
        const outcome = await untilReady(server, data);
        if (outcome === 'ready') return new PostgresServer(dir, port, server);
        const log = readLog(dir);
        if (attempt >= 3 || !/could not bind|address already in use/i.test(log)) throw new Error(`postgres did not start:\n${log}`);
      }
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }

  get socketDir(): string {
    return this.dir;
  }

  /** The postmaster's pid, which is also its process group's id. */
  get pid(): number | undefined {
    return this.server.pid;
  }

  /** A new, empty database on this server. */
  async createDatabase(name: string): Promise<void> {
    await run('/usr/bin/python3', ['-c', CREATE_DATABASE, this.host, String(this.port), this.user, name], { cwd: this.dir, timeout: 30_000 });
  }

  /** Fast shutdown (SIGINT: clients are disconnected), then the whole process group if anything is left; removes the folder. */
  async stop(): Promise<void> {
    const pid = this.server.pid;
    if (pid !== undefined && groupAlive(pid)) {
      if (this.server.exitCode === null && this.server.signalCode === null) this.server.kill('SIGINT');
      const deadline = Date.now() + 10_000;
      while (groupAlive(pid) && Date.now() < deadline) await sleep(50);
      await killGroup(pid, 2000);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The postmaster in its own process group (detached), so that stop() reaches its workers too. */
function spawnServer(bin: string, dir: string, port: number, account: ServerAccount | undefined): ChildProcess {
  const log = openSync(path.join(dir, 'server.log'), 'a');
  try {
    return spawn(
      path.join(bin, 'postgres'),
      [
        ...['-D', path.join(dir, 'data'), '-h', '127.0.0.1', '-p', String(port), '-k', dir],
        // A throwaway cluster on a 2-core machine: durability costs time and buys nothing.
        ...['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
      ],
      { cwd: dir, detached: true, stdio: ['ignore', log, log], uid: account?.uid, gid: account?.gid },
    );
  } finally {
    closeSync(log);
  }
}

/**
 * Waits, as `pg_ctl start -w` does, for postmaster.pid to name this server and
 * say "ready" (its 8th line); 'exited' when the server ended first.
 */
async function untilReady(server: ChildProcess, data: string): Promise<'ready' | 'exited'> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (server.exitCode !== null || server.signalCode !== null) return 'exited';
    try {
      const lines = readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n');
      if (Number(lines[0]) === server.pid && lines[7]?.trim() === 'ready') return 'ready';
    } catch {
      // Not written yet.
    }
    if (Date.now() > deadline) {
      if (server.pid !== undefined) await killGroup(server.pid, 2000);
      throw new Error(`postgres was not ready within 30 s:\n${readLog(path.dirname(data))}`);
    }
    await sleep(50);
  }
}

function readLog(dir: string): string {
  try {
    return readFileSync(path.join(dir, 'server.log'), 'utf8');
  } catch {
    return '(no server log)';
  }
}

/**
 * One private server for a mocha suite: started in a `before` hook (after
 * checking the components), stopped in an `after` hook.
 */
export function usePostgres(): () => PostgresServer {
  let server: PostgresServer | undefined;
  before(async function () {
    this.timeout(90_000);
    requireComponents(this, 'postgres');
    server = await PostgresServer.start();
  });
  after(async function () {
    this.timeout(30_000);
    await server?.stop();
    server = undefined;
  });
  return () => {
    if (!server) throw new Error('the suite PostgreSQL server exists only while the suite runs');
    return server;
  };
}
