/**
 * The shared-db fixture (test/fixtures/shared-db): one site's Django project in
 * a team whose projects all use one database. Its settings read the database
 * from SHARED_DB_* variables; this turns a database into those variables, so
 * that several copies point at the same one.
 */
import * as path from 'node:path';
import { FIXTURES } from './demoProject';
import type { PostgresServer } from './postgres';

export const SHARED_DB_FIXTURE = path.join(FIXTURES, 'shared-db');

/** A database the copies can share: one sqlite file, or one database on a PostgreSQL server. */
export type SharedDatabase = { engine: 'sqlite'; file: string } | { engine: 'postgresql'; name: string; host: string; port: number; user: string };

/** Database `name` on a (private) PostgreSQL server. */
export function postgresDatabase(server: PostgresServer, name: string): SharedDatabase {
  return { engine: 'postgresql', name, host: server.host, port: server.port, user: server.user };
}

/** The environment that makes a copy of the fixture use `db`. */
export function sharedDbEnv(db: SharedDatabase): NodeJS.ProcessEnv {
  if (db.engine === 'sqlite') return { SHARED_DB_ENGINE: 'sqlite', SHARED_DB_NAME: db.file };
  return { SHARED_DB_ENGINE: 'postgresql', SHARED_DB_NAME: db.name, SHARED_DB_HOST: db.host, SHARED_DB_PORT: String(db.port), SHARED_DB_USER: db.user };
}
