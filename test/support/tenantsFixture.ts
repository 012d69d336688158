/**
 * The tenants-schemas fixture (test/fixtures/tenants-schemas): a django-tenants
 * project, one PostgreSQL schema per customer. Helpers to set a private copy
 * up against a database, to serve it with runserver in its own process group,
 * and to read which tables each schema holds.
 */
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { choosePort } from '../../daemon/runners/freePort';
import { killGroup } from '../../daemon/base/processGroup';
import { FIXTURES } from './demoProject';
import { requestVia } from './http';
import type { PostgresServer } from './postgres';
import { sleep } from './processes';

export const TENANTS_FIXTURE = path.join(FIXTURES, 'tenants-schemas');
export const FRAMEWORK_STAND_INS = path.join(FIXTURES, 'frameworks');

/** The environment that points the fixture's settings at `database` on `server`, as DATABASE_URL. */
export function databaseUrlEnv(server: PostgresServer, database: string): NodeJS.ProcessEnv {
  return { DATABASE_URL: `postgres://${server.user}@${server.host}:${server.port}/${database}` };
}

/** Runs a program to its end; resolves to its stdout, rejects with its stderr. */
export function run(file: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { cwd: options.cwd, env: { ...process.env, ...options.env }, timeout: options.timeoutMs ?? 120_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => (error ? reject(new Error(`${path.basename(file)} ${args.join(' ')} failed: ${error.message}\n${stderr}`)) : resolve(stdout)),
    );
  });
}

/** The copy's setup.sh: venv with the stand-in, shared apps migrated, the tenants created. */
export function setUp(project: string, env: NodeJS.ProcessEnv): Promise<string> {
  return run('sh', [path.join(project, 'setup.sh')], { cwd: project, env: { ...env, MULTISITE_FIXTURE_FRAMEWORKS: FRAMEWORK_STAND_INS } });
}

// Reads information_schema through psycopg2 (the client programs may be absent): {schema: [table, ...]}.
const TABLES_BY_SCHEMA = `
import json, sys, psycopg2
host, port, user, name = sys.argv[1:]
connection = psycopg2.connect(host=host, port=port, user=user, dbname=name)
cursor = connection.cursor()
cursor.execute("SELECT table_schema, table_name FROM information_schema.tables"
               " WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2")
tables = {}
for schema, table in cursor.fetchall():
    tables.setdefault(schema, []).append(table)
print(json.dumps(tables))
`;

export async function tablesBySchema(server: PostgresServer, database: string): Promise<Record<string, string[]>> {
  const out = await run('/usr/bin/python3', ['-c', TABLES_BY_SCHEMA, server.host, String(server.port), server.user, database]);
  return JSON.parse(out) as Record<string, string[]>;
}

export interface Runserver {
  port: number;
  /** The group leader's pid (= the process group id). */
  pid: number;
  stop(): Promise<void>;
}

/**
 * `.venv/bin/python manage.py runserver 127.0.0.1:<free port>` in its own
 * process group; resolves once it answers `host`. A port taken between
 * choosing and binding is tried again with another.
 */
export async function startRunserver(project: string, env: NodeJS.ProcessEnv, host: string): Promise<Runserver> {
  for (let attempt = 1; ; attempt++) {
    const port = await choosePort(28_000 + (process.pid % 1000));
    const child = spawn(path.join(project, '.venv', 'bin', 'python'), ['manage.py', 'runserver', `127.0.0.1:${port}`], {
      cwd: project,
      env: { ...process.env, ...env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const pid = child.pid;
    if (pid === undefined) throw new Error('runserver did not start');
    const stop = (): Promise<void> => killGroup(pid, 5000);
    if (await answers(child, port, host)) return { port, pid, stop };
    await stop();
    if (attempt >= 3 || !/already in use/i.test(output)) throw new Error(`runserver did not answer on 127.0.0.1:${port}:\n${output}`);
  }
}

async function answers(child: ChildProcess, port: number, host: string): Promise<boolean> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) return false;
    try {
      await requestVia(port, host);
      return true;
    } catch {
      await sleep(100); // not listening yet
    }
  }
  return false;
}
