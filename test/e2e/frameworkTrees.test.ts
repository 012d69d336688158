/**
 * Every framework's sites in the Sites view (issue 22), as a person opens
 * them in real VS Code: a Wagtail project (copy of test/fixtures/wagtail-sites,
 * its wagtailcore.Site rows made by its setup) and a django-tenants project
 * (copy of test/fixtures/tenants-schemas against a private real PostgreSQL,
 * whose DATABASE_URL code-server, and so the daemon, has in its environment).
 * No multisite.json: the sites come from Django. Each tree shows the sites with
 * their names and addresses; a site expands to its domains and where they come
 * from; its tooltip says how a request reaches it and why; a click serves it,
 * and its `.localhost` address answers through the proxy with its own page.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { FIXTURES } from '../support/demoProject';
import { requestVia } from '../support/http';
import { usePostgres } from '../support/postgres';
import { TENANTS_FIXTURE, databaseUrlEnv, setUp } from '../support/tenantsFixture';
import { STATUS_ITEM, openMultiSite, pictureOnFailure, projectLabel, screenshot, statusOf, useCodeServer, waitForServed } from '../support/workbench';
import type { CodeServerSuite } from '../support/workbench';

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A site's row: its accessible name is "<name>, <what it is doing>". */
function siteRow(page: Page, name: string): Locator {
  return page.getByRole('treeitem', { name: new RegExp(`^${escape(name)}, `) });
}

/** A row under an expanded site whose text has `label` and `description` (a domain: "Live · Wagtail Sites"). */
function childRow(page: Page, label: string, description: string): Locator {
  return page.getByRole('treeitem').filter({ hasText: new RegExp(`^${escape(label)}\\s*${escape(description)}$`) });
}

/** The labels of the rows the view shows, top to bottom. */
function labelsOf(page: Page): Promise<string[]> {
  return page.getByRole('treeitem').locator('.label-name').allInnerTexts();
}

/** The `.localhost` address of a site, checked against what its row shows: its site and the project's port. */
async function addressOf(page: Page, suite: CodeServerSuite, name: string, slug: string): Promise<string> {
  const text = await siteRow(page, name).innerText();
  const host = `${slug}.${projectLabel(suite.sandbox().demo)}.localhost:${suite.port()}`;
  // Shown as its site and port (the project's long name elided), so the port reads at the default width.
  assert.match(text, new RegExp(`^${escape(name)}\\s*${escape(`${slug}…:${suite.port()}`)} · #\\d+$`), `${name}'s row`);
  return host;
}

/**
 * Hovers `target` and resolves to the text of the hover it shows, once it contains `expected`;
 * then moves away and waits for the hover to close, unless it is to stay for a picture.
 */
async function hoverText(page: Page, target: Locator, expected: string, options: { picture: string; stay?: boolean }): Promise<string> {
  await target.hover();
  const hover = page.locator('.monaco-hover').filter({ hasText: expected }).first();
  await hover.waitFor({ timeout: 15_000 }).catch(pictureOnFailure(page, options.picture));
  const text = await hover.innerText();
  if (!options.stay) {
    await page.mouse.move(900, 400);
    await page.keyboard.press('Escape');
    await hover.waitFor({ state: 'detached', timeout: 15_000 }).catch(pictureOnFailure(page, options.picture));
  }
  return text;
}

/** The status bar's tooltip, which says how the project is served and why; it stays open for the tree's picture. */
async function statusTooltip(page: Page, picture: string): Promise<string> {
  await page.mouse.move(900, 400); // the row just clicked keeps its hover buttons otherwise
  return hoverText(page, page.locator(STATUS_ITEM), 'Click to switch site', { picture, stay: true });
}

const pageSays = (body: string, id: string): string | undefined => new RegExp(`<[a-z0-9]+ id="${id}">([^<]*)<`).exec(body)?.[1];

describe('a Wagtail project’s sites in real VS Code (code-server + Chromium)', function () {
  this.timeout(300_000);
  const suite = useCodeServer(31_000, {
    sandbox: {
      requires: ['django', 'treebeard', 'code-server', 'chromium'],
      project: { source: path.join(FIXTURES, 'wagtail-sites'), setup: false },
      env: { PYTHONDONTWRITEBYTECODE: '1' },
      hookTimeoutMs: 240_000,
    },
    before: async (created) => void (await setUp(created.demo, {})),
  });
  const { sandbox } = suite;

  it('lists Wagtail’s sites by name with their host and port, says why the Host routes, and serves a clicked one', async () => {
    const page = await suite.codeServer().open(`?folder=${encodeURIComponent(sandbox().demo)}`);
    await openMultiSite(page);
    // Wagtail's names: site_name, else the root page's title ("Order online"); the :8081 site is a site of its own.
    const names = ['Bakery', 'Bakery Blog', 'Order online', 'Bakery Preview'];
    for (const name of names) await siteRow(page, name).waitFor({ timeout: 90_000 }).catch(pictureOnFailure(page, 'wagtail-tree'));
    const labels = await labelsOf(page);
    assert.deepEqual(
      labels.filter((label) => names.includes(label)),
      names,
      `the sites in Wagtail's order: ${labels.join(' | ')}`,
    );
    const shop = await addressOf(page, suite, 'Order online', 'shop');
    const blog = await addressOf(page, suite, 'Bakery Blog', 'blog');

    // A site expands to its domains, each with where it came from: Wagtail's Sites, hostname and port.
    await siteRow(page, 'Bakery Preview').locator('.monaco-tl-twistie').click();
    await childRow(page, 'www.bakery.test:8081', 'Live · Wagtail Sites').waitFor({ timeout: 10_000 });
    await childRow(page, 'Wagtail Sites', 'Source').waitFor({ timeout: 10_000 });

    // The site's tooltip says how a request reaches it, and why that was chosen.
    const tooltip = await hoverText(page, siteRow(page, 'Bakery Blog'), 'Routing:', { picture: 'wagtail-site-tooltip' });
    assert.match(
      tooltip,
      /Routing: every site at once: the local proxy sets Host to each site's domain \(Wagtail picks the site by the request’s Host and port/,
    );
    // Its id is the Wagtail Site's own, not a SITE_ID (the Host picks the site).
    assert.match(tooltip, /Bakery Blog \(Wagtail Site id \d+, slug/);

    // A click serves it; its address answers through the proxy with its own root page, and so does another site's.
    await page.locator(STATUS_ITEM).waitFor({ timeout: 30_000 });
    await siteRow(page, 'Order online').click();
    await waitForServed(page, 'Order online', suite);
    await statusOf(sandbox());
    for (const [host, name] of [
      [shop, 'Order online'],
      [blog, 'Bakery Blog'],
    ]) {
      const answer = await requestVia(suite.port(), host);
      assert.equal(answer.status, 200, host);
      assert.equal(pageSays(answer.body, 'site-name'), name, `${host} answers ${name}'s page`);
    }
    const status = await statusTooltip(page, 'wagtail-status-tooltip');
    assert.match(status, /Mode\s*every site at once: the local proxy sets Host to each site's domain \(Wagtail picks the site/);

    await screenshot(page, 'wagtail-sites-tree');
  });
});

describe('a django-tenants project’s tenants in real VS Code (code-server + Chromium, real PostgreSQL)', function () {
  this.timeout(300_000);
  const DATABASE = 'tenants_e2e';
  const postgres = usePostgres();
  const suite = useCodeServer(32_000, {
    // The daemon that code-server's extension starts reads the database from the environment, as runserver does.
    sandbox: () => ({
      requires: ['django', 'postgres', 'code-server', 'chromium'],
      project: { source: TENANTS_FIXTURE, setup: false },
      env: { ...databaseUrlEnv(postgres(), DATABASE), PYTHONDONTWRITEBYTECODE: '1' },
      hookTimeoutMs: 240_000,
    }),
    before: async (created) => {
      await postgres().createDatabase(DATABASE);
      await setUp(created.demo, databaseUrlEnv(postgres(), DATABASE));
    },
  });
  const { sandbox } = suite;

  it('lists each tenant by schema with its domains, says why the Host routes, and serves a clicked one', async () => {
    const page = await suite.codeServer().open(`?folder=${encodeURIComponent(sandbox().demo)}`);
    await openMultiSite(page);
    const tenants = [
      ['Shelfwise', 'public'],
      ['Acme Books', 'acme'],
      ['Globex Library', 'globex'],
      ['Initech Archive', 'initech'],
    ];
    for (const [name] of tenants) await siteRow(page, name).waitFor({ timeout: 90_000 }).catch(pictureOnFailure(page, 'tenants-tree'));
    // Each tenant answers at an address named for its schema.
    const hosts = new Map<string, string>();
    for (const [name, schema] of tenants) hosts.set(schema, await addressOf(page, suite, name, schema));

    // Acme has two domains, the primary first, both from the tenants' domain table.
    await siteRow(page, 'Acme Books').locator('.monaco-tl-twistie').click();
    await childRow(page, 'acme.shelfwise.test', 'Live · tenant domains').waitFor({ timeout: 10_000 });
    await childRow(page, 'books.acme.example', 'Local · tenant domains').waitFor({ timeout: 10_000 });
    await childRow(page, 'tenant domains', 'Source').waitFor({ timeout: 10_000 });
    const children = await labelsOf(page);
    assert.ok(children.indexOf('acme.shelfwise.test') < children.indexOf('books.acme.example'), `the primary domain first: ${children.join(' | ')}`);

    const tooltip = await hoverText(page, siteRow(page, 'Globex Library'), 'Routing:', { picture: 'tenants-site-tooltip' });
    assert.match(
      tooltip,
      /Routing: every site at once: the local proxy sets Host to each site's domain \(django-tenants picks the tenant by the request’s Host/,
    );
    assert.match(tooltip, /Globex Library \(tenant id \d+, slug/);

    await page.locator(STATUS_ITEM).waitFor({ timeout: 30_000 });
    await siteRow(page, 'Globex Library').click();
    await waitForServed(page, 'Globex Library', suite);
    await statusOf(sandbox());
    // Each tenant's address reaches its own schema through the one server.
    for (const [name, schema] of [
      ['Globex Library', 'globex'],
      ['Acme Books', 'acme'],
    ]) {
      const answer = await requestVia(suite.port(), hosts.get(schema) as string);
      assert.equal(answer.status, 200, schema);
      assert.equal(pageSays(answer.body, 'current-schema'), schema, `${schema}: its own schema`);
      assert.equal(pageSays(answer.body, 'site-name'), name);
    }
    const status = await statusTooltip(page, 'tenants-status-tooltip');
    assert.match(status, /Mode\s*every site at once: the local proxy sets Host to each site's domain \(django-tenants picks the tenant/);

    await screenshot(page, 'tenants-sites-tree');
  });
});
