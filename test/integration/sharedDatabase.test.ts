/**
 * Several projects on one database (issue 13): copies of the shared-db fixture,
 * each its own code base, pointed at one real database, a private PostgreSQL
 * server's or one sqlite file. The harness suite shows the setup itself holds:
 * what one copy migrates, the other sees applied. The product's own tests
 * (detecting the sharing, guarding the schema) belong beside it in this file.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { DaemonErrorCode, GetDatabaseGroup, OpenProject } from '../../protocol/protocol';
import type { DoctorReport, MigrateResult } from '../../protocol/protocol';
import { groupAlive } from '../../daemon/base/processGroup';
import { DaemonSandbox } from '../support/daemonSandbox';
import { fetchText } from '../support/http';
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

interface Started {
  port: number;
  url: string;
}

/**
 * The product on three copies sharing one database, each its own code base: started and stopped one
 * by one, each on its own port, the others serving on; the schema guard refusing a start while one
 * copy has a migration the others lack, until confirmed. The daemon finds the sharing itself: the
 * copies' settings resolve to one database.
 */
function productSuite(database: () => SharedDatabase, count: number): void {
  const copies = useProjectCopies(SHARED_DB_FIXTURE, count, true);
  let sandbox: DaemonSandbox | undefined;
  const world = (): DaemonSandbox => {
    if (!sandbox) throw new Error('the sandbox exists only while the suite runs');
    return sandbox;
  };
  before(async function () {
    this.timeout(60_000);
    sandbox = new DaemonSandbox(sharedDbEnv(database()));
    await manage(copies()[0], ['migrate', '--noinput'], sharedDbEnv(database()));
  });
  after(async () => {
    await sandbox?.dispose();
    sandbox = undefined;
  });

  const start = async (copy: string, extra: string[] = []): Promise<Started> => {
    const started = await world().cliJson<Started>(['start', ...extra], copy);
    const status = await world().cliJson<{ server: { pid: number | null } }>(['status'], copy);
    if (status.server.pid !== null) world().startedGroups.add(status.server.pid);
    return started;
  };
  const page = async (started: Started): Promise<string> => (await fetchText(`http://127.0.0.1:${started.port}/`)).body;

  it(`starts and stops each of ${count} copies on its own port while the others keep serving`, async () => {
    const started: Started[] = [];
    for (const copy of copies()) started.push(await start(copy));
    assert.equal(new Set(started.map((s) => s.port)).size, count, `each on its own port: ${started.map((s) => s.port).join(', ')}`);
    for (const [n, copy] of copies().entries()) assert.match(await page(started[n]), new RegExp(`Shared Shop \\(${path.basename(copy)}\\)`));

    type Pids = { server: { pid: number | null }; project: { backends: { pid: number | null }[] } | null };
    const before = await world().cliJson<Pids>(['status'], copies()[1]);
    const groups = [before.server.pid, ...(before.project?.backends ?? []).map((b) => b.pid)].filter((pid): pid is number => pid !== null);
    assert.ok(groups.length > 0, 'the copy runs a server of its own');
    const stopped = await world().cli(['stop'], copies()[1]);
    assert.equal(stopped.code, 0, stopped.stderr);
    for (const pid of groups) assert.equal(groupAlive(pid), false, `no process of the stopped copy is left (group ${pid})`);
    await assert.rejects(fetchText(`http://127.0.0.1:${started[1].port}/`), 'the stopped copy no longer answers');
    for (const n of [0, ...(count > 2 ? [2] : [])]) assert.match(await page(started[n]), /Shared Shop/, 'the others keep serving');
    const status = await world().cliJson<{ projects: { project: { root: string }; server: { phase: string }; port: number | null; url: string | null }[] }>(
      ['status'],
      copies()[0],
    );
    const running = status.projects.filter((p) => p.server.phase === 'running');
    assert.deepEqual(
      running.map((p) => p.port).sort(),
      started
        .filter((_, n) => n !== 1)
        .map((s) => s.port)
        .sort(),
      'status gives each running project its port',
    );
    for (const project of running) assert.match(project.url ?? '', /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.deepEqual(
      status.projects.map((p) => p.server.phase).sort(),
      [...Array<string>(count - 1).fill('running'), 'stopped'].sort(),
      'status lists every project with its state',
    );
  });

  it('refuses to start a copy whose migrations differ from the others until confirmed, and the doctor names them', async () => {
    const last = copies()[count - 1];
    assert.equal((await world().cli(['stop'], last)).code, 0);
    writeFileSync(
      path.join(last, 'catalog', 'migrations', '0002_price.py'),
      'from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n    dependencies = [("catalog", "0001_initial")]\n    operations = []\n',
    );
    const refused = await world().cli(['start'], last);
    assert.equal(refused.code, 1, refused.stdout);
    assert.match(refused.stderr, /catalog\.0002_price is missing in .*Add --yes to start it anyway\.$/m);
    assert.equal((await world().cliJson<{ server: { phase: string } }>(['status'], last)).server.phase, 'stopped', 'nothing started');

    const others = copies()
      .slice(0, -1)
      .flatMap((copy) => ['--project', copy]);
    const doctor = await world().cli(['doctor', '--project', last, ...others, '--json'], last);
    assert.equal(doctor.code, 1);
    const drift = (JSON.parse(doctor.stdout) as DoctorReport).findings.find((f) => f.code === 'shared-db-drift');
    assert.deepEqual(drift?.migrations, ['catalog.0002_price']);
    assert.deepEqual(drift?.apps, ['catalog']);
    assert.deepEqual(
      drift?.projects,
      [last, ...copies().slice(0, -1).sort()].map((copy) => path.basename(copy)), // the project asked about, then the others by path
    );

    const confirmed = await start(last, ['--yes']);
    assert.match(await page(confirmed), new RegExp(`Shared Shop \\(${path.basename(last)}\\)`));

    // The database itself: once the last copy migrates it, the first is behind what the database has applied,
    // and a model changed without a migration is named too (the doctor reads both through each project's manage.py).
    await manage(last, ['migrate', '--noinput'], sharedDbEnv(database()));
    const first = copies()[0];
    const models = path.join(first, 'catalog', 'models.py');
    const original = readFileSync(models, 'utf8');
    writeFileSync(
      models,
      original.replace('name = models.CharField(max_length=100)', 'name = models.CharField(max_length=100)\n    price = models.IntegerField(default=0)'),
    );
    try {
      const live = JSON.parse((await world().cli(['doctor', '--json'], first)).stdout) as DoctorReport;
      const messages = live.findings.filter((f) => f.code === 'shared-db-drift').map((f) => f.message);
      assert.ok(
        messages.some((m) => /^The shared database has catalog\.0002_price applied, which \S+ lacks/.test(m)),
        messages.join('\n'),
      );
      assert.ok(
        messages.some((m) => /models have changes no migration holds/.test(m)),
        messages.join('\n'),
      );
    } finally {
      writeFileSync(models, original);
    }
    rmSync(path.join(last, 'catalog', 'migrations', '0002_price.py'));
  });

  it('names the copies sharing the database, declared or found by their settings', async () => {
    const [first, declared, ...rest] = copies();
    writeFileSync(path.join(first, 'multisite.json'), JSON.stringify({ sharedDatabase: [path.relative(first, declared)] }));
    const link = await world().connect();
    try {
      await link.connection.sendRequest(OpenProject.type, { root: first, refresh: false });
      const group = await link.connection.sendRequest(GetDatabaseGroup.type, { root: first });
      assert.deepEqual(
        group.sharedWith.map((p) => [p.name, p.declared]),
        [declared, ...rest].sort().map((copy) => [path.basename(copy), copy === declared]),
      );
    } finally {
      link.dispose();
      rmSync(path.join(first, 'multisite.json'));
    }
  });

  it('migrates through the product only while every copy has the same migrations', async () => {
    const stock = (copy: string): void => {
      for (const [name, after] of [
        ['0002_price', '0001_initial'],
        ['0003_stock', '0002_price'],
      ])
        writeFileSync(
          path.join(copy, 'catalog', 'migrations', `${name}.py`),
          `from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n    dependencies = [("catalog", "${after}")]\n    operations = []\n`,
        );
    };
    const [first, ...others] = copies();
    stock(first);
    const refused = await world().cli(['migrate'], first);
    assert.equal(refused.code, 1, refused.stdout);
    assert.match(refused.stderr, /^multisite-local: Not migrating \S+: .*catalog\.0003_stock is missing in /m);
    assert.doesNotMatch(refused.stderr, /--yes/, 'no confirmation gets past it');
    const json = await world().cli(['migrate', '--json'], first);
    assert.equal((JSON.parse(json.stdout) as { error: { code: number } }).error.code, DaemonErrorCode.SchemaDrift);
    assert.match(await manage(first, ['showmigrations', 'catalog'], sharedDbEnv(database())), /^ \[ \] 0003_stock$/m, 'nothing was applied');

    for (const copy of others) stock(copy);
    const migrated = await world().cliJson<MigrateResult>(['migrate'], first);
    assert.match(migrated.output, /Applying catalog\.0003_stock\.\.\. OK/);
    assert.match(await manage(others[0], ['showmigrations', 'catalog'], sharedDbEnv(database())), /^ \[X\] 0003_stock$/m, 'the other copies see it applied');
  });
}

describe('several projects on one database: started, stopped and guarded (real daemon, real Django)', function () {
  this.timeout(120_000);
  before(function () {
    requireComponents(this, 'django');
  });

  describe('three copies on a private PostgreSQL server', () => {
    const postgres = usePostgres();
    before(async () => {
      await postgres().createDatabase('shop');
    });
    productSuite(() => postgresDatabase(postgres(), 'shop'), 3);
  });

  describe('two copies on one sqlite file', () => {
    let dir = '';
    before(() => {
      dir = tempFolder('shared-sqlite');
    });
    after(() => rmSync(dir, { recursive: true, force: true }));
    productSuite(() => ({ engine: 'sqlite', file: path.join(dir, 'shared.sqlite3') }), 2);
  });
});
