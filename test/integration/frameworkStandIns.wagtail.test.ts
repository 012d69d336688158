/**
 * The Wagtail stand-in (test/fixtures/frameworks/wagtail) behaves as Wagtail
 * 5.2 picks sites, on real Django and a real runserver: the fixture project
 * test/fixtures/wagtail-sites (four wagtailcore.Site rows, created by its
 * `load_initial_data` command) answers each host name with its own root page,
 * an unknown host with the default site (200, not 404), and its site on port
 * 8081 only where the request reaches Django on port 8081: X-Forwarded-Port
 * under USE_X_FORWARDED_PORT, or SERVER_PORT 8081 (Django's test client).
 */
import * as assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { choosePort } from '../../daemon/runners/freePort';
import { groupAlive, killGroup } from '../../daemon/base/processGroup';
import { requireComponents } from '../support/components';
import { FIXTURES, copyProject } from '../support/demoProject';
import { requestVia } from '../support/http';
import { sleep } from '../support/processes';

const SOURCE = path.join(FIXTURES, 'wagtail-sites');
// Python run from the fixture's copy imports the stand-in from the repository: no bytecode written there.
const PYTHON_ENV = { ...process.env, PYTHONDONTWRITEBYTECODE: '1', MULTISITE_FIXTURE_FRAMEWORKS: path.join(FIXTURES, 'frameworks') };

function run(file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = PYTHON_ENV): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd, env, timeout: 120_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${file} ${args.join(' ')} failed: ${error.message}\n${stderr}`)) : resolve(stdout),
    );
  });
}

/** The site name and root page title a fixture page shows. */
function shown(body: string): { site: string; title: string } {
  const site = /<h1 id="site-name">([^<]*)<\/h1>/.exec(body)?.[1];
  const title = /<p id="page-title">([^<]*)<\/p>/.exec(body)?.[1];
  assert.ok(site !== undefined && title !== undefined, `not a fixture page:\n${body}`);
  return { site, title };
}

interface Runserver {
  port: number;
  child: ChildProcess;
}

/** `manage.py runserver` on a free port in its own process group; resolves once it answers. */
async function startRunserver(project: string, near: number, settings?: string): Promise<Runserver> {
  const port = await choosePort(near + (process.pid % 1000));
  const env = settings ? { ...PYTHON_ENV, DJANGO_SETTINGS_MODULE: settings } : PYTHON_ENV;
  const python = path.join(project, '.venv', 'bin', 'python');
  const child = spawn(python, ['manage.py', 'runserver', `127.0.0.1:${port}`], { cwd: project, env, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`runserver exited (${child.exitCode}):\n${stderr}`);
    try {
      await requestVia(port, 'www.bakery.test');
      return { port, child };
    } catch {
      if (Date.now() > deadline) {
        await stopRunserver({ port, child });
        throw new Error(`runserver did not answer on ${port} within 30 s:\n${stderr}`);
      }
      await sleep(100);
    }
  }
}

async function stopRunserver(server: Runserver | undefined): Promise<void> {
  const pgid = server?.child.pid;
  if (pgid !== undefined && groupAlive(pgid)) await killGroup(pgid, 2000);
}

describe('Wagtail stand-in: sites picked as Wagtail 5.2 picks them (real Django, real runserver)', function () {
  this.timeout(60_000);
  let project = '';
  const servers: Runserver[] = [];
  let devPort = 0; // runserver with the project's own settings (bakery.settings.dev)

  before(async function () {
    requireComponents(this, 'django', 'treebeard');
    this.timeout(180_000);
    project = copyProject(SOURCE, false);
    await run('sh', [path.join(project, 'setup.sh')], project);
    devPort = await serve();
  });

  after(async () => {
    for (const server of servers.splice(0)) await stopRunserver(server);
    if (project) rmSync(project, { recursive: true, force: true });
  });

  async function serve(settings?: string): Promise<number> {
    const server = await startRunserver(project, settings ? 23_000 : 22_000, settings);
    servers.push(server);
    return server.port;
  }

  it('is installed in the project’s venv as wagtail 5.2.8 (importlib.metadata), with the real app labels and tables', async () => {
    const python = path.join(project, '.venv', 'bin', 'python');
    const version = await run(python, ['-c', 'import importlib.metadata as m, wagtail; print(m.version("wagtail"), wagtail.__version__)'], project);
    assert.equal(version.trim(), '5.2.8 5.2.8');
    const code = [
      'import json',
      'from django.apps import apps',
      'Site = apps.get_model("wagtailcore", "Site")',
      'Page = apps.get_model("wagtailcore", "Page")',
      'rows = [[s.hostname, s.port, s.site_name, s.is_default_site, s.root_page.title] for s in Site.objects.select_related("root_page").order_by("hostname", "port")]',
      'print(json.dumps({"tables": [Site._meta.db_table, Page._meta.db_table], "apps": sorted(a.label for a in apps.get_app_configs() if a.name.startswith("wagtail")), "sites": rows}))',
    ].join('\n');
    const read = JSON.parse(await run(python, ['manage.py', 'shell', '-c', code], project)) as { tables: string[]; apps: string[]; sites: unknown[] };
    assert.deepEqual(read.tables, ['wagtailcore_site', 'wagtailcore_page']);
    assert.deepEqual(read.apps, ['wagtailcore', 'wagtailsites']);
    assert.deepEqual(read.sites, [
      ['blog.bakery.test', 80, 'Bakery Blog', false, 'Notes from the oven'],
      ['shop.bakery.test', 80, '', false, 'Order online'],
      ['www.bakery.test', 80, 'Bakery', true, 'Fresh bread daily'],
      ['www.bakery.test', 8081, 'Bakery Preview', false, 'A preview of the new bakery'],
    ]);
  });

  it('answers each host name with its own site’s root page; the Host’s case and port do not matter', async () => {
    const port = devPort;
    const expected: [string, string, string][] = [
      ['www.bakery.test', 'Bakery', 'Fresh bread daily'],
      ['blog.bakery.test', 'Bakery Blog', 'Notes from the oven'],
      // No site_name: the page names itself by its title.
      ['shop.bakery.test', 'Order online', 'Order online'],
      ['BLOG.Bakery.Test:8081', 'Bakery Blog', 'Notes from the oven'],
    ];
    for (const [host, site, title] of expected) {
      const answer = await requestVia(port, host);
      assert.equal(answer.status, 200, host);
      assert.deepEqual(shown(answer.body), { site, title }, host);
    }
  });

  it('answers an unknown host with the default site, 200 (never a 404)', async () => {
    const port = devPort;
    for (const host of ['unknown.example', `127.0.0.1:${port}`, 'localhost']) {
      const answer = await requestVia(port, host);
      assert.equal(answer.status, 200, host);
      assert.deepEqual(shown(answer.body), { site: 'Bakery', title: 'Fresh bread daily' }, host);
    }
    // Paths below a site's root page are looked up in that site's tree only.
    assert.equal((await requestVia(port, 'blog.bakery.test', '/shop/')).status, 404);
  });

  it('does not serve the port-8081 site for its host name on another port, nor for X-Forwarded-Port without USE_X_FORWARDED_PORT', async () => {
    const port = devPort;
    for (const headers of [{}, { 'X-Forwarded-Port': '8081' }]) {
      const answer = await requestVia(port, 'www.bakery.test:8081', '/', { headers });
      assert.deepEqual(shown(answer.body), { site: 'Bakery', title: 'Fresh bread daily' }, JSON.stringify(headers));
    }
  });

  it('serves the port-8081 site where USE_X_FORWARDED_PORT lets X-Forwarded-Port: 8081 through (settings dev_proxy)', async () => {
    const port = await serve('bakery.settings.dev_proxy');
    const cases: [string, string, string][] = [
      ['www.bakery.test', '8081', 'Bakery Preview'],
      ['www.bakery.test', '80', 'Bakery'],
      ['www.bakery.test', '8082', 'Bakery'],
      ['blog.bakery.test', '8081', 'Bakery Blog'],
      ['unknown.example', '8081', 'Bakery'],
    ];
    for (const [host, forwarded, site] of cases) {
      const answer = await requestVia(port, host, '/', { headers: { 'X-Forwarded-Port': forwarded } });
      assert.equal(answer.status, 200, `${host} via ${forwarded}`);
      assert.equal(shown(answer.body).site, site, `${host} via ${forwarded}`);
    }
  });

  it('picks by SERVER_PORT (Django’s test client), and by Wagtail’s rule for a host name with sites on several ports', async () => {
    // Default settings: the port is SERVER_PORT. Rows added here are rolled back.
    const code = String.raw`
import json
from django.db import transaction
from django.test import Client
from wagtail.models import Site

def site_of(host, server_port):
    answer = Client().get("/", HTTP_HOST=host, SERVER_PORT=server_port)
    if answer.status_code != 200:
        return answer.status_code
    return answer.content.decode().split('<h1 id="site-name">')[1].split("</h1>")[0]

seen = {
    "www:8081": site_of("www.bakery.test", "8081"),
    "www:80": site_of("www.bakery.test", "80"),
    "www:9000": site_of("www.bakery.test", "9000"),
    "blog:9000": site_of("blog.bakery.test", "9000"),
}
with transaction.atomic():
    blog = Site.objects.get(hostname="blog.bakery.test")
    Site.objects.create(hostname="blog.bakery.test", port=8082, site_name="Blog Preview", root_page=blog.root_page)
    seen["two blogs, blog:9000"] = site_of("blog.bakery.test", "9000")
    seen["two blogs, blog:8082"] = site_of("blog.bakery.test", "8082")
    Site.objects.filter(is_default_site=True).update(is_default_site=False)
    seen["no default, unknown:80"] = site_of("unknown.example", "80")
    seen["no default, two blogs, blog:9000"] = site_of("blog.bakery.test", "9000")
    seen["no default, shop:9000"] = site_of("shop.bakery.test", "9000")
    transaction.set_rollback(True)
print(json.dumps(seen))
`;
    const python = path.join(project, '.venv', 'bin', 'python');
    const seen = JSON.parse(await run(python, ['manage.py', 'shell', '-c', code], project)) as Record<string, string | number>;
    assert.deepEqual(seen, {
      'www:8081': 'Bakery Preview',
      'www:80': 'Bakery',
      'www:9000': 'Bakery',
      'blog:9000': 'Bakery Blog',
      // Two sites of that name, neither on the port: the default site.
      'two blogs, blog:9000': 'Bakery',
      'two blogs, blog:8082': 'Blog Preview',
      // Without a default site, a host name nothing matches is a 404; so is an ambiguous one.
      'no default, unknown:80': 404,
      'no default, two blogs, blog:9000': 404,
      'no default, shop:9000': 'Order online',
    });
  });
});
