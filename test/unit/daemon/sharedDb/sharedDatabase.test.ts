/**
 * The pure parts of the shared-database guard: which database settings are
 * one database, where migrations of projects sharing it disagree, the
 * doctor's sentence about it, and the migration files as read from disk.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { driftFinding } from '../../../../daemon/sharedDb/schemaGuard';
import { aheadOfFiles } from '../../../../daemon/doctor/checks/sharedDbDrift';
import { databaseKey } from '../../../../daemon/sites/databaseIdentity';
import { appliedMigrations } from '../../../../daemon/sharedDb/liveSchema';
import { readMigrations } from '../../../../daemon/sharedDb/migrationFiles';
import type { MigrationSet } from '../../../../daemon/sharedDb/migrationFiles';
import { schemaDrift } from '../../../../daemon/sharedDb/schemaDrift';
import { sharedProjects } from '../../../../daemon/sharedDb/sharedProjects';
import { ProjectDatabase } from '../../../../daemon/sharedDb/projectDatabase';
import { ProjectSites } from '../../../../daemon/sites/projectSites';
import { projectCodeIn } from '../../../support/projectCode';

const set = (apps: Record<string, Record<string, string>>): MigrationSet =>
  new Map(Object.entries(apps).map(([app, names]) => [app, new Map(Object.entries(names))]));

describe('database identity', () => {
  const pg = (host: string, port: string, name = 'shop', engine = 'django.db.backends.postgresql') => databaseKey({ engine, name, host, port });

  it('is one database under the engine’s aliases, the loopback names and the default port', () => {
    assert.equal(pg('', ''), pg('127.0.0.1', '5432'));
    assert.equal(pg('localhost', '5432'), pg('/var/run/postgresql', '', 'shop', 'django.db.backends.postgresql_psycopg2'));
    assert.equal(pg('localhost', ''), pg('::1', '5432', 'shop', 'django.contrib.gis.db.backends.postgis'));
  });

  it('tells databases apart by name, port and host, and names none for memory or dummy backends', () => {
    assert.notEqual(pg('', ''), pg('', '', 'blog'));
    assert.notEqual(pg('', '5432'), pg('', '5433'));
    assert.notEqual(pg('db.internal', ''), pg('', ''));
    assert.equal(databaseKey({ engine: 'django.db.backends.sqlite3', name: ':memory:', host: '', port: '' }), null);
    assert.equal(databaseKey({ engine: 'django.db.backends.dummy', name: 'x', host: '', port: '' }), null);
    assert.equal(databaseKey({ engine: 'django.db.backends.sqlite3', name: '/srv/a.db', host: '', port: '' }), 'sqlite:/srv/a.db');
  });
});

describe('schema drift between projects sharing a database', () => {
  it('finds nothing when every project has the same migration files', () => {
    const same = set({ catalog: { '0001_initial': 'a', '0002_price': 'b' } });
    assert.deepEqual(
      schemaDrift([
        { name: 'shop', migrations: same },
        { name: 'blog', migrations: same },
      ]),
      [],
    );
  });

  it('names a migration some lack, and one whose files differ', () => {
    const drift = schemaDrift([
      { name: 'shop', migrations: set({ catalog: { '0001_initial': 'a', '0002_price': 'b' }, orders: { '0001_initial': 'x' } }) },
      { name: 'blog', migrations: set({ catalog: { '0001_initial': 'a' }, orders: { '0001_initial': 'y' } }) },
      { name: 'news', migrations: set({ catalog: { '0001_initial': 'a' }, orders: { '0001_initial': 'x' } }) },
    ]);
    assert.deepEqual(drift, [
      { app: 'catalog', migration: 'catalog.0002_price', missingIn: ['blog', 'news'], differs: false },
      { app: 'orders', migration: 'orders.0001_initial', missingIn: [], differs: true },
    ]);
    const finding = driftFinding([
      { name: 'shop', migrations: set({ catalog: { '0001_initial': 'a', '0002_price': 'b' } }) },
      { name: 'blog', migrations: set({ catalog: { '0001_initial': 'a' } }) },
    ]);
    assert.equal(finding?.severity, 'error');
    assert.deepEqual([finding?.projects, finding?.apps, finding?.migrations], [['shop', 'blog'], ['catalog'], ['catalog.0002_price']]);
    assert.match(finding?.message ?? '', /^shop and blog share a database but their migrations differ \(catalog\.0002_price is missing in blog\)/);
  });
});

describe('migration files and the projects sharing a database, on disk', () => {
  let dir: string;
  beforeEach(() => {
    dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'msl-shared-')));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (file: string, text = ''): void => {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  };

  it('reads each app’s migrations with a hash of their content, and skips virtualenvs', async () => {
    write('shop/catalog/migrations/__init__.py');
    write('shop/catalog/migrations/0001_initial.py', 'ops = []\n');
    write('shop/catalog/migrations/0002_price.py', 'ops = [1]\n');
    write('shop/catalog/migrations/notes.txt', 'not a migration');
    write('shop/.venv/lib/python3/site-packages/django/contrib/sites/migrations/0001_initial.py', 'x');
    const read = await readMigrations(path.join(dir, 'shop'));
    assert.deepEqual([...read.keys()], ['catalog']);
    assert.deepEqual([...(read.get('catalog')?.keys() ?? [])], ['0001_initial', '0002_price']);
    write('blog/catalog/migrations/0001_initial.py', 'ops = []\n');
    assert.equal((await readMigrations(path.join(dir, 'blog'))).get('catalog')?.get('0001_initial'), read.get('catalog')?.get('0001_initial'));
  });

  it('joins the named, the listed and the open projects on the same database, once each, never itself', async () => {
    for (const name of ['shop', 'blog', 'news', 'other']) mkdirSync(path.join(dir, name));
    symlinkSync(path.join(dir, 'blog'), path.join(dir, 'blog-link'));
    const project = (name: string, key: string | null) => ({ root: path.join(dir, name), databaseKey: () => Promise.resolve(key) });
    const shop = project('shop', 'sqlite:/db');
    const found = await sharedProjects(
      shop,
      [path.join(dir, 'blog-link')],
      ['../blog', '../missing', '.'],
      [shop, project('news', 'sqlite:/db'), project('other', 'sqlite:/else')],
    );
    // Listed in its own multisite.json (also named by the client): declared; found by its database: not.
    assert.deepEqual(found, [
      { root: path.join(dir, 'blog'), declared: true },
      { root: path.join(dir, 'news'), declared: false },
    ]);
    // Alone in the daemon: its database is not even probed (a start waits for this).
    const alone = { root: path.join(dir, 'shop'), databaseKey: () => Promise.reject(new Error('probed with nothing to compare')) };
    assert.deepEqual(await sharedProjects(alone, [], ['../blog'], [alone]), [{ root: path.join(dir, 'blog'), declared: true }]);
    // Mutual: an open project whose multisite.json lists this one is on its database too.
    const declaring = { ...project('other', null), sharedFolders: () => Promise.resolve([path.join(dir, 'shop')]) };
    assert.deepEqual(await sharedProjects(project('shop', null), [], [], [declaring, project('news', null)]), [
      { root: path.join(dir, 'other'), declared: false },
    ]);
    // Unknown database: only what is named or listed.
    assert.deepEqual(await sharedProjects(project('shop', null), [], [], [project('news', null)]), []);
  });

  it('resolves the folders a multisite.json shares the database with once per read of it, and sees it changed', async () => {
    for (const name of ['shop', 'blog', 'news']) mkdirSync(path.join(dir, name));
    symlinkSync(path.join(dir, 'blog'), path.join(dir, 'blog-link'));
    write('shop/manage.py');
    write('shop/multisite.json', JSON.stringify({ sharedDatabase: ['../blog-link', '../missing'] }));
    const root = path.join(dir, 'shop');
    const sites = new ProjectSites(root, { changed: () => undefined, log: () => undefined }, projectCodeIn(dir));
    const database = new ProjectDatabase({
      root,
      sites,
      projectCode: projectCodeIn(dir),
      runnerKind: () => 'local',
      isServing: () => false,
      log: () => undefined,
    });
    try {
      // Still opening: another project's start asks, and must not fail on it.
      assert.deepEqual(await database.sharedFolders(), []);
      await sites.open({ root, trusted: false });
      assert.deepEqual(await database.sharedFolders(), [path.join(dir, 'blog')]);
      // A name that is no folder yet is looked up again: the project it names may appear later.
      mkdirSync(path.join(dir, 'missing'));
      const resolved = database.sharedFolders();
      assert.deepEqual(await resolved, [path.join(dir, 'blog'), path.join(dir, 'missing')]);
      assert.equal(database.sharedFolders(), resolved, 'resolved once per read of the files');
      write('shop/multisite.json', JSON.stringify({ sharedDatabase: ['../news'] }));
      await sites.reload(false);
      assert.deepEqual(await database.sharedFolders(), [path.join(dir, 'news')]);
    } finally {
      await sites.close();
    }
  });
});

describe('what the database says (its django_migrations table)', () => {
  it('reads the applied migrations, and those of the project’s apps its files lack', () => {
    const printed = 'some startup noise\n["catalog.0001_initial", "catalog.0002_price", "contenttypes.0001_initial"]\n';
    const applied = appliedMigrations(printed);
    assert.deepEqual(applied, ['catalog.0001_initial', 'catalog.0002_price', 'contenttypes.0001_initial']);
    // Django's own apps (their files are in site-packages) are not the project's to lack.
    assert.deepEqual(aheadOfFiles(set({ catalog: { '0001_initial': 'a' } }), applied), ['catalog.0002_price']);
  });
});
