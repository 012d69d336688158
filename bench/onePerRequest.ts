/**
 * Figure 10 (issue 27): one runserver for every site (`siteIdPerRequest`, the
 * default for settings that read SITE_ID from the environment) on the
 * twenty-site django CMS fixture, every site visited, against today's one
 * runserver per site (`--routing siteId`, warmSites 20) in the same run:
 * - memory: the summed RSS of the backends' process groups (read from /proc,
 *   as the daemon reads it) against one bare runserver of the same project
 *   (bareRunserver.ts), sampled at the same moment each run, after a request
 *   to every site (a backend is one Django process under a small gate; a
 *   bare runserver two, Django's autoreloader parent importing the project
 *   too); MB here is 10^6 bytes;
 * - the first answer of a site not visited before, once the server is up:
 *   from the request at its `.localhost` address to the whole page (with one
 *   runserver per site, a start each), timed before the other strategy runs;
 * - a warm switch between visited sites (as figure 1), pair by pair.
 */
import type { ServingStrategy } from '../protocol/protocol';
import { groupMemory } from '../daemon/proxy/groupMemory';
import { startBareRunserver } from './bareRunserver';
import type { Benchmark } from './benchmark';
import { CMS_SITE_COUNT, askSite, copyCmsSites, serveSites } from './cmsSites';
import type { ServedSites } from './cmsSites';
import { atMost, measured } from './report';
import { ServedDemo, getOnce } from './servedDemo';
import type { DemoSite } from './servedDemo';
import { inTurn, ratios } from './stats';

const FIGURE = '10 SITE_ID per request';
const MB = 1e6;

/** Serves the fixture with `strategy` (the project's default, or the routing named) and runs `work` on it. */
function usingSites<T>(strategy: ServingStrategy, work: (served: ServedSites) => Promise<T>): Promise<T> {
  const serve = strategy === 'siteIdPerRequest' ? { warmSites: 3 } : { warmSites: CMS_SITE_COUNT, routing: 'siteId' as const };
  return ServedDemo.using({ ...serve, copy: copyCmsSites }, async (demo) => work(await serveSites(demo, strategy)));
}

/** The first answer of each of `sites` (none visited yet), one after the other. */
async function firstAnswers(served: ServedSites, sites: readonly DemoSite[]): Promise<number[]> {
  const ms: number[] = [];
  for (const site of sites) ms.push(await askSite(served, site));
  return ms;
}

async function visitEvery(served: ServedSites): Promise<void> {
  for (const site of served.sites) await askSite(served, site);
}

/** Summed RSS (MB) of the process groups led by `leaders`, each with its descendants. */
async function groupsMb(leaders: number[]): Promise<number> {
  let bytes = 0;
  for (const [leader, rss] of await groupMemory(leaders)) {
    if (rss === null) throw new Error(`process group ${leader} is gone: no RSS to read`);
    bytes += rss;
  }
  return bytes / MB;
}

/** Summed RSS (MB) of the project's backends, once `count` of them run. */
async function backendsMb(served: ServedSites, count: number): Promise<number> {
  const state = await served.demo.waitFor(
    `${count} running backends`,
    (s) => s.backends.filter((b) => b.phase === 'running' && b.pid !== null).length === count,
  );
  return groupsMb(state.backends.map((b) => b.pid as number));
}

export const onePerRequest: Benchmark = {
  key: 'onePerRequest',
  title: '10. One server for every SITE_ID',
  async run(options) {
    return usingSites('siteIdPerRequest', async (shared) => {
      const bare = await startBareRunserver(shared.demo.venvPython, shared.demo.root, shared.sites[0]);
      try {
        // From the end: the first two sites were asked for by the start's self-check.
        const unvisited = shared.sites.slice(-Math.min(options.runs, CMS_SITE_COUNT - 2)).reverse();
        const sharedFirstMs = await firstAnswers(shared, unvisited);
        await visitEvery(shared);
        return await usingSites('siteId', async (perSite) => {
          const perSiteFirstMs = await firstAnswers(perSite, unvisited);
          await visitEvery(perSite);
          const urls = { shared: await shared.demo.mainUrl(), perSite: await perSite.demo.mainUrl() };
          const switchMs = { shared: [] as number[], perSite: [] as number[] };
          const rssMb = { shared: [] as number[], perSite: [] as number[], bare: [] as number[] };
          for (let run = 0; run < options.runs; run++) {
            const site = shared.sites[(run + 1) % CMS_SITE_COUNT]; // never the site just served
            await perSite.demo.waitWarm([site]); // untimed: the figure is about warm servers
            const [one, many] = await inTurn(
              run,
              () => shared.demo.timeSwitch(site, urls.shared),
              () => perSite.demo.timeSwitch(site, urls.perSite),
            );
            switchMs.shared.push(one);
            switchMs.perSite.push(many);
            await visitEvery(shared);
            await visitEvery(perSite);
            await getOnce(bare.url);
            rssMb.shared.push(await backendsMb(shared, 1));
            rssMb.perSite.push(await backendsMb(perSite, CMS_SITE_COUNT));
            rssMb.bare.push(await groupsMb([bare.pid]));
          }
          const sites = `${CMS_SITE_COUNT} sites`;
          return [
            measured(FIGURE, 'bare runserver RSS (MB)', 'MB', rssMb.bare),
            measured(FIGURE, `one server for every site, RSS, ${sites} visited (MB)`, 'MB', rssMb.shared),
            measured(FIGURE, `one server per site, RSS, ${sites} warm (MB)`, 'MB', rssMb.perSite),
            measured(FIGURE, 'one server for every site / bare runserver (RSS)', 'x', ratios(rssMb.shared, rssMb.bare), atMost(1.3, 'max')),
            measured(FIGURE, 'one server per site / bare runserver (RSS, today)', 'x', ratios(rssMb.perSite, rssMb.bare)),
            measured(FIGURE, 'one server per site / one server for every site (RSS)', 'x', ratios(rssMb.perSite, rssMb.shared)),
            measured(FIGURE, 'first answer of an unvisited site, one server for every site (ms)', 'ms', sharedFirstMs, atMost(50)),
            measured(FIGURE, 'first answer of an unvisited site, one server per site (ms)', 'ms', perSiteFirstMs),
            measured(FIGURE, 'warm switch, one server per site (ms)', 'ms', switchMs.perSite),
            measured(FIGURE, 'warm switch, one server for every site (ms)', 'ms', switchMs.shared),
            measured(FIGURE, 'warm switch, one server for every site / one per site', 'x', ratios(switchMs.shared, switchMs.perSite), atMost(1)),
          ];
        });
      } finally {
        await bare.stop();
      }
    });
  },
};
