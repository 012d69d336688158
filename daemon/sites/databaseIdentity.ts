/**
 * Which database a project's resolved DATABASES['default'] points at, as one
 * comparable key: two projects with the same key share a database. Engines
 * that are one backend under several names are one; an sqlite file is its
 * real path; a server is host, port and name with the engine's defaults.
 */
export interface DatabaseSettings {
  engine: string;
  name: string;
  host: string;
  port: string;
}

const POSTGRES = /\.(postgresql|postgresql_psycopg2|postgis)$/;
const MYSQL = /\.(mysql)$/;
const LOOPBACK = new Set(['', 'localhost', '127.0.0.1', '::1']);

/** The key, or null when the settings name no database (a dummy backend, an empty name). */
export function databaseKey(db: DatabaseSettings): string | null {
  if (!db.engine || !db.name || db.engine.endsWith('.dummy')) return null;
  if (db.engine.endsWith('.sqlite3') || db.engine.endsWith('.spatialite')) return db.name === ':memory:' ? null : `sqlite:${db.name}`;
  const kind = POSTGRES.test(db.engine) ? 'postgresql' : MYSQL.test(db.engine) ? 'mysql' : db.engine;
  // A unix socket folder or an empty host is this machine, as is the loopback address.
  const host = LOOPBACK.has(db.host) || db.host.startsWith('/') ? 'localhost' : db.host.toLowerCase();
  const port = db.port || (kind === 'postgresql' ? '5432' : kind === 'mysql' ? '3306' : '');
  return `${kind}://${host}:${port}/${db.name}`;
}
