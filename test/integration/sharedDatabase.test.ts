/**
 * Several projects on one database (issue 13): copies of the shared-db fixture,
 * each its own code base, pointed at one real database, a private PostgreSQL
 * server's or one sqlite file. The harness suite shows the setup itself holds:
 * what one copy migrates, the other sees applied. The product's own tests
 * (detecting the sharing, guarding the schema) belong beside it in this file.
 */
import * as assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { groupAlive } from '../../daemon/runners/processGroup';
import { requireComponents } from '../support/components';
import { manage, useProjectCopies } from '../support/demoProject';
import { PostgresServer, usePostgres } from '../support/postgres';
import { postgresDatabase, SHARED_DB_FIXTURE, sharedDbEnv } from '../support/sharedDbFixture';
import type { SharedDatabase } from '../support/sharedDbFixture';
import { tempFolder } from '../support/tempProject';

const APPLIED = /^ \[X\] 0001_initial$/m;

/** Migrates with the first copy; the second must find it applied without migrating, then agree. */
async function migrateBoth([first, second]: string[], db: SharedDatabase): Promise<void> {
  const env = sharedDbEnv(db);
  assert.match(await manage(first, ['migrate', '--noinput'], env), /Applying catalog\.0001_initial\.\.\. OK/);
  assert.match(await manage(second, ['showmigrations', 'catalog'], env), APPLIED, 'the second copy sees what the first migrated');
  assert.match(await manage(second, ['migrate', '--noinput'], env), /No migrations to apply/);
  for (const copy of [first, second]) assert.match(await manage(copy, ['showmigrations', 'catalog'], env), APPLIED);
}

describe('several projects on one database: the harness', function () {
  this.timeout(60_000);
  before(function () {
    requireComponents(this, 'django');
  });
  const copies = useProjectCopies(SHARED_DB_FIXTURE, 2, true);

  describe('on a private PostgreSQL server', () => {
    const postgres = usePostgres();

    it('two copies migrate one database and both list catalog 0001_initial as applied', async () => {
      await postgres().createDatabase('shared');
      await migrateBoth(copies(), postgresDatabase(postgres(), 'shared'));
    });

    it('a second server runs beside it, and stopping one ends its processes and removes its folder', async () => {
      const other = await PostgresServer.start();
      try {
        assert.notEqual(other.port, postgres().port);
        assert.ok(other.pid !== undefined && groupAlive(other.pid));
      } finally {
        await other.stop();
      }
      assert.ok(other.pid !== undefined && !groupAlive(other.pid), 'no process of the stopped server is left');
      assert.ok(!existsSync(other.dir), 'its temp folder is removed');
      await postgres().createDatabase('still_serving'); // the suite's server was not touched
    });
  });

  describe('in one sqlite file', () => {
    let dir: string;
    before(() => {
      dir = tempFolder('shared-sqlite');
    });
    after(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    it('two copies migrate one file and both list catalog 0001_initial as applied', async () => {
      await migrateBoth(copies(), { engine: 'sqlite', file: path.join(dir, 'shared.sqlite3') });
    });
  });
});
