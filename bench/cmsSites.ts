/**
 * The twenty-site django CMS fixture (test/fixtures/cms-sites: SITE_ID from
 * the environment) for the issue-27 figure: a set-up copy served by a bench
 * daemon in the routing asked for, its sites, each one's `.localhost`
 * address through the proxy, and a request there checked to be answered as
 * that site.
 */
import * as path from 'node:path';
import type { ServingStrategy, Site } from '../protocol/protocol';
import { FIXTURES, copyProject } from '../test/support/demoProject';
import { getOnce, showsSite } from './servedDemo';
import type { DemoSite, ServedDemo } from './servedDemo';
import { elapsedMs } from './stats';

export const CMS_SITE_COUNT = 20;

/** A private copy of the fixture with its .venv and database (its migrations make the 20 sites). */
export function copyCmsSites(): string {
  return copyProject(path.join(FIXTURES, 'cms-sites'), true);
}

/** A site of the fixture; its pages name the site they were served as (pages/views.py), first in their JSON. */
function cmsSite(site: Site): DemoSite {
  if (site.id === null) throw new Error(`the fixture's site ${site.slug} has no id`);
  return { slug: site.slug, id: site.id, name: site.name ?? site.slug, marker: `{"siteId": ${site.id}, "currentSite": ${site.id},` };
}

export interface ServedSites {
  demo: ServedDemo;
  /** By id, 1 to 20. */
  sites: DemoSite[];
  /** Each site's `.localhost` address through the proxy, by slug. */
  addresses: Map<string, string>;
}

/** Serves the first site (the server is up once this resolves) and checks the project is served with `strategy`. */
export async function serveSites(demo: ServedDemo, strategy: ServingStrategy): Promise<ServedSites> {
  const sites = (await demo.sites()).map(cmsSite).sort((a, b) => a.id - b.id);
  if (sites.length !== CMS_SITE_COUNT) throw new Error(`the fixture has ${sites.length} sites, not ${CMS_SITE_COUNT}`);
  await demo.switchTo(sites[0]);
  const state = await demo.state();
  if (state.strategy !== strategy) throw new Error(`the fixture is served with '${state.strategy}', not '${strategy}': ${state.routingReason}`);
  const addresses = new Map<string, string>();
  for (const site of await demo.sites()) {
    if (!site.localhostUrl) throw new Error(`site ${site.slug} has no .localhost address while served through the proxy`);
    addresses.set(site.slug, site.localhostUrl);
  }
  return { demo, sites, addresses };
}

/**
 * Milliseconds from a GET of `site`'s home page at its `.localhost` address (to 127.0.0.1 with that
 * Host, as a browser resolves the name) to the whole answer, which must be that site's page.
 */
export async function askSite(served: ServedSites, site: DemoSite): Promise<number> {
  const address = new URL(served.addresses.get(site.slug) ?? '');
  const start = performance.now();
  const { status, body } = await getOnce(`http://127.0.0.1:${address.port}/`, 60_000, address.host);
  const ms = elapsedMs(start);
  if (!showsSite(body, site)) throw new Error(`${address.href} answered HTTP ${status} without site ${site.id}'s page: ${body.slice(0, 200)}`);
  return ms;
}
