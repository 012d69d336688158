/**
 * The django-tenants stand-in (test/fixtures/frameworks/django-tenants) behaves
 * as django-tenants 3.5.0 where sites and routing are concerned: the
 * tenants-schemas fixture, set up by its own setup.sh against a private
 * PostgreSQL server, served by real Django runserver. The Host's name picks
 * the tenant and its schema; an unknown one is a 404; each tenant's tables
 * are in its own schema; plain `migrate` migrates every schema.
 */
import * as assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { groupAlive } from '../../daemon/base/processGroup';
import { requireComponents } from '../support/components';
import { copyProject, manage } from '../support/demoProject';
import { requestVia } from '../support/http';
import type { Answer } from '../support/http';
import { usePostgres } from '../support/postgres';
import { FRAMEWORK_STAND_INS, TENANTS_FIXTURE, databaseUrlEnv, run, setUp, startRunserver, tablesBySchema } from '../support/tenantsFixture';
import type { Runserver } from '../support/tenantsFixture';

const DATABASE = 'shelfwise';

/** What a page says about who served it. */
function page(answer: Answer): { name?: string; schema?: string; currentSchema?: string; books: string[] } {
  const first = (re: RegExp): string | undefined => re.exec(answer.body)?.[1];
  return {
    name: first(/<h1 id="site-name">([^<]*)<\/h1>/),
    schema: first(/<code id="schema-name">([^<]*)<\/code>/),
    currentSchema: first(/<code id="current-schema">([^<]*)<\/code>/),
    books: [...answer.body.matchAll(/<li class="book">([^<]*)<\/li>/g)].map((m) => m[1]),
  };
}

const TENANTS = [
  { schema: 'acme', name: 'Acme Books', domains: ['acme.shelfwise.test', 'books.acme.example'], books: ['A Field Guide to Canyons', 'Rockets for Beginners'] },
  { schema: 'globex', name: 'Globex Library', domains: ['globex.shelfwise.test'], books: ['Annual Report 1996'] },
  { schema: 'initech', name: 'Initech Archive', domains: ['initech.shelfwise.test'], books: ['Cover Sheets, Collected', 'The Red Stapler'] },
];

describe('framework stand-in: django-tenants (tenants-schemas fixture, real runserver, real PostgreSQL)', function () {
  this.timeout(120_000);
  before(function () {
    requireComponents(this, 'django', 'postgres');
  });
  let project: string | undefined;
  let server: Runserver | undefined;
  let env: NodeJS.ProcessEnv = {};
  // Defined before usePostgres: mocha runs `after` hooks in order, and runserver should stop before its database.
  after(async function () {
    this.timeout(30_000);
    const pid = server?.pid;
    await server?.stop();
    server = undefined;
    if (project) rmSync(project, { recursive: true, force: true });
    if (pid !== undefined) assert.equal(groupAlive(pid), false, 'no runserver process is left');
  });
  const postgres = usePostgres();
  const live = (): Runserver => {
    if (!server) throw new Error('runserver runs only while the suite runs');
    return server;
  };
  const get = (host: string, pathname = '/'): Promise<Answer> => requestVia(live().port, host, pathname);

  before(async function () {
    this.timeout(300_000); // a venv, then migrations in public and three tenant schemas, on a busy 2-core machine
    await postgres().createDatabase(DATABASE);
    env = databaseUrlEnv(postgres(), DATABASE);
    project = copyProject(TENANTS_FIXTURE, false);
    await setUp(project, env);
    server = await startRunserver(project, env, 'shelfwise.test');
  });

  it("the project's venv sees the stand-in as django-tenants 3.5.0", async () => {
    const python = path.join(project as string, '.venv', 'bin', 'python');
    const out = await run(python, ['-c', 'import importlib.metadata as m, django_tenants; print(m.version("django-tenants")); print(django_tenants.__file__)']);
    const [version, file] = out.trim().split('\n');
    assert.equal(version, '3.5.0');
    assert.ok(file.startsWith(path.join(FRAMEWORK_STAND_INS, 'django-tenants') + path.sep), file);
  });

  it("each tenant's domain answers with that tenant's page, its schema first on the search_path and its own rows", async () => {
    for (const tenant of TENANTS) {
      const answer = await get(tenant.domains[0]);
      assert.equal(answer.status, 200, `${tenant.domains[0]}: ${answer.body.slice(0, 500)}`);
      assert.deepEqual(page(answer), { name: tenant.name, schema: tenant.schema, currentSchema: tenant.schema, books: tenant.books });
    }
  });

  it('a non-primary domain, a port in the Host and a leading www. pick the same tenant', async () => {
    const acme = TENANTS[0];
    for (const host of ['books.acme.example', 'acme.shelfwise.test:8000', 'www.acme.shelfwise.test', 'www.books.acme.example:443']) {
      const answer = await get(host);
      assert.equal(answer.status, 200, host);
      assert.equal(page(answer).name, acme.name, host);
      assert.deepEqual(page(answer).books, acme.books, host);
    }
  });

  it("the public tenant's domain answers with PUBLIC_SCHEMA_URLCONF's page, in the public schema", async () => {
    const answer = await get('shelfwise.test');
    assert.equal(answer.status, 200);
    assert.equal(page(answer).name, 'Shelfwise');
    assert.match(answer.body, /<code id="tenant-schema">public<\/code>/);
    for (const tenant of TENANTS) assert.ok(answer.body.includes(`http://${tenant.domains[0]}/`), `the landing page links ${tenant.name}`);
    assert.equal((await get('acme.shelfwise.test', '/admin/login/')).status, 200, "a tenant's admin finds the auth tables in its schema");
  });

  it('a host no domain row names is a 404, "No tenant for hostname", the loopback names included', async () => {
    for (const host of ['unknown.shelfwise.test', 'shelfwise.test.example', 'localhost', `127.0.0.1:${live().port}`, 'globex.localhost']) {
      const answer = await get(host);
      assert.equal(answer.status, 404, host);
      const name = host.split(':')[0];
      assert.ok(answer.body.includes(`No tenant for hostname &quot;${name}&quot;`), `${host}: ${answer.body.slice(0, 300)}`);
    }
  });

  it('with SHOW_PUBLIC_IF_NO_TENANT_FOUND an unknown host gets the public URLconf; a host ALLOWED_HOSTS refuses is a bare 404', async () => {
    const settings = path.join(project as string, 'shelfwise', 'settings_show_public.py');
    writeFileSync(
      settings,
      '"""Shelfwise with the public site for unknown hosts."""\nfrom .settings import *  # noqa\n\n' +
        'SHOW_PUBLIC_IF_NO_TENANT_FOUND = True\nALLOWED_HOSTS = [".shelfwise.test", ".acme.example"]\n',
    );
    const other = await startRunserver(project as string, { ...env, DJANGO_SETTINGS_MODULE: 'shelfwise.settings_show_public' }, 'shelfwise.test');
    try {
      const unknown = await requestVia(other.port, 'nobody.shelfwise.test');
      assert.equal(unknown.status, 200);
      assert.match(unknown.body, /Catalogues for bookshops and libraries/, 'the public URLconf answers');
      assert.equal(page(await requestVia(other.port, 'books.acme.example')).name, 'Acme Books', 'a known host still picks its tenant');
      const refused = await requestVia(other.port, 'elsewhere.example');
      assert.equal(refused.status, 404);
      assert.doesNotMatch(refused.body, /No tenant for hostname/, 'refused before any tenant is looked up');
    } finally {
      await other.stop();
      rmSync(settings);
    }
    assert.equal(groupAlive(other.pid), false);
  });

  it("keeps the shared apps' tables in public and the tenant apps' tables in each tenant's schema", async () => {
    const tables = await tablesBySchema(postgres(), DATABASE);
    assert.deepEqual(Object.keys(tables).sort(), ['acme', 'globex', 'initech', 'public']);
    for (const table of ['customers_client', 'customers_domain', 'django_site', 'django_migrations', 'auth_user'])
      assert.ok(tables.public.includes(table), `public.${table}`);
    assert.ok(!tables.public.includes('catalogue_book'), 'no tenant app table in public');
    for (const { schema } of TENANTS) {
      for (const table of ['catalogue_book', 'django_migrations', 'auth_user', 'django_content_type'])
        assert.ok(tables[schema].includes(table), `${schema}.${table}`);
      for (const table of ['customers_client', 'customers_domain', 'django_site']) assert.ok(!tables[schema].includes(table), `no ${schema}.${table}`);
    }
  });

  it('plain migrate is migrate_schemas: public, then every tenant schema; --schema one schema only', async () => {
    const all = await manage(project as string, ['migrate', '--noinput'], env);
    assert.equal(all.match(/^=== Starting migration$/gm)?.length, 1 + TENANTS.length, all);
    assert.equal(all.match(/No migrations to apply\./g)?.length, 1 + TENANTS.length, all);
    const one = await manage(project as string, ['migrate_schemas', '--schema', 'globex', '--noinput'], env);
    assert.equal(one.match(/^=== Starting migration$/gm)?.length, 1, one);
  });

  it('create_tenant makes a schema and its domain, and the running server serves it on the next request', async () => {
    const args = [
      '--noinput',
      '--schema_name',
      'umbrella',
      '--name',
      'Umbrella Reading Room',
      '--domain-domain',
      'umbrella.shelfwise.test',
      '--domain-is_primary',
      'True',
    ];
    const out = await manage(project as string, ['create_tenant', ...args], env);
    assert.match(out, /Applying catalogue\.0001_initial\.\.\./);
    const answer = await get('umbrella.shelfwise.test');
    assert.equal(answer.status, 200);
    assert.deepEqual(page(answer), { name: 'Umbrella Reading Room', schema: 'umbrella', currentSchema: 'umbrella', books: [] });
    assert.ok((await tablesBySchema(postgres(), DATABASE)).umbrella.includes('catalogue_book'));
  });

  it('the settings read the database from the PG* variables when DATABASE_URL is not set', async () => {
    const { host, port, user } = postgres();
    const pg = { DATABASE_URL: '', PGHOST: host, PGPORT: String(port), PGUSER: user, PGDATABASE: DATABASE };
    const script = 'from customers.models import Domain; print(sorted(d.domain for d in Domain.objects.filter(is_primary=False)))';
    assert.equal((await manage(project as string, ['shell', '-c', script], pg)).trim(), "['books.acme.example']");
  });
});
