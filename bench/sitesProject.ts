/**
 * The 200-site projects of the issue-22 figures, built untimed with each
 * project's own manage.py: a private copy of the demo with 200
 * django.contrib.sites rows (its 3, then 197 more), and a copy of the
 * django-multisite fixture (test/fixtures/multisite-hosts) with as many
 * sites, each with its canonical Alias (written by django-multisite's
 * post_save handler, as in a real project) and a `www.` alias. The fixture's
 * framework stand-ins are copied beside it first, so that its bytecode is
 * written there and never in the repository.
 */
import { execFile } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { FIXTURES, copyDemo, copyProject, manage } from '../test/support/demoProject';
import { tempFolder } from '../test/support/tempProject';
import { onCleanup } from './cleanups';

export const SITE_COUNT = 200;

export interface SitesProject {
  root: string;
  python: string;
  /** What the project is, for the table: "demo, 200 sites". */
  label: string;
  /** Rows of each table the read must return: the read is checked against them. */
  sites: number;
  aliases: number | null;
  dispose(): Promise<void>;
}

/** Adds sites up to SITE_COUNT through the ORM (with django-multisite: one at a time, so its handler writes each canonical alias); prints the counts. */
function addSitesScript(withAliases: boolean): string {
  return [
    'from django.contrib.sites.models import Site',
    ...(withAliases ? ['from multisite.models import Alias'] : []),
    `for i in range(Site.objects.count() + 1, ${SITE_COUNT + 1}):`,
    `    site = Site.objects.create(id=i, domain=f"site-{i}.example", name=f"Site {i}")`,
    ...(withAliases ? ['    Alias.objects.create(domain=f"www.site-{i}.example", site=site, is_canonical=None, redirect_to_canonical=True)'] : []),
    `print(Site.objects.count(), ${withAliases ? 'Alias.objects.count()' : '0'})`,
  ].join('\n');
}

async function addSites(root: string, withAliases: boolean): Promise<{ sites: number; aliases: number }> {
  const [sites, aliases] = (await manage(root, ['shell', '-c', addSitesScript(withAliases)])).trim().split(/\s+/).map(Number);
  if (sites !== SITE_COUNT) throw new Error(`the project at ${root} has ${sites} sites after adding them, not ${SITE_COUNT}`);
  return { sites, aliases };
}

/** The demo with SITE_COUNT rows in django.contrib.sites. */
export async function demoWithSites(): Promise<SitesProject> {
  const root = copyDemo();
  const dispose = onCleanup(() => Promise.resolve(rmSync(root, { recursive: true, force: true })));
  try {
    const { sites } = await addSites(root, false);
    return { root, python: path.join(root, '.venv', 'bin', 'python'), label: `demo, ${sites} sites`, sites, aliases: null, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}

function setUp(root: string, frameworks: string): Promise<void> {
  const env = { ...process.env, MULTISITE_FIXTURE_FRAMEWORKS: frameworks };
  return new Promise((resolve, reject) =>
    execFile('sh', [path.join(root, 'setup.sh'), root], { env, timeout: 180_000 }, (error, _stdout, stderr) =>
      error ? reject(new Error(`setup.sh of ${root} failed: ${error.message}\n${stderr}`)) : resolve(),
    ),
  );
}

/** The django-multisite fixture with SITE_COUNT sites and their aliases. */
export async function multisiteWithSites(): Promise<SitesProject> {
  const frameworks = tempFolder('bench-frameworks');
  const root = copyProject(path.join(FIXTURES, 'multisite-hosts'), false);
  const dispose = onCleanup(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(frameworks, { recursive: true, force: true });
    return Promise.resolve();
  });
  try {
    cpSync(path.join(FIXTURES, 'frameworks'), frameworks, { recursive: true });
    await setUp(root, frameworks);
    const { sites, aliases } = await addSites(root, true);
    const label = `django-multisite, ${sites} sites + ${aliases} aliases`;
    return { root, python: path.join(root, '.venv', 'bin', 'python'), label, sites, aliases, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}
