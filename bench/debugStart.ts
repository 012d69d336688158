/**
 * Figure 9 (issue 24): Debug Site, from the request until the site answers and
 * debugpy listens (a debugger can attach at once), against a plain start of
 * the same site's backend (a switch until its page answers), each from a
 * stopped project, alternating, in the same run. Debugging costs debugpy's
 * start and its adapter, and runserver's own autoreloader parent (which
 * imports the project too) in place of the light reloader the plain start runs.
 */
import { DebugSite } from '../daemon/protocol/protocol';
import type { Benchmark } from './benchmark';
import { atMost, measured, notMeasured } from './report';
import { DEMO_SITES, ServedDemo, notProxied } from './servedDemo';
import type { DemoSite } from './servedDemo';
import { elapsedMs, inTurn, ratios } from './stats';

const FIGURE = '9 debug site';

async function timeDebug(demo: ServedDemo, site: DemoSite): Promise<number> {
  const start = performance.now();
  await demo.link.connection.sendRequest(DebugSite.type, { root: demo.root, site: site.slug });
  return elapsedMs(start);
}

async function stopped(demo: ServedDemo): Promise<void> {
  await demo.stopServer();
  await demo.waitFor('every backend stopped', (s) => s.backends.length === 0 && s.server.phase === 'stopped');
}

export const debugStart: Benchmark = {
  key: 'debug',
  title: '9. Debug Site',
  async run(options) {
    return ServedDemo.using(3, async (demo) => {
      await demo.switchTo(DEMO_SITES[0]);
      const reason = notProxied(await demo.state());
      if (reason) return [notMeasured(FIGURE, 'Debug Site vs a plain start', reason)];
      const url = await demo.mainUrl();
      // Untimed: debugpy's files into the page cache, as on any machine that debugged once.
      await stopped(demo);
      await timeDebug(demo, DEMO_SITES[0]);
      const debugMs: number[] = [];
      const plainMs: number[] = [];
      for (let run = 0; run < options.runs; run++) {
        const site = DEMO_SITES[run % DEMO_SITES.length];
        const [debug, plain] = await inTurn(
          run,
          async () => {
            await stopped(demo);
            return timeDebug(demo, site);
          },
          async () => {
            await stopped(demo);
            return demo.timeSwitch(site, url);
          },
        );
        debugMs.push(debug);
        plainMs.push(plain);
      }
      return [
        measured(FIGURE, 'plain start of a site, to its page (ms)', 'ms', plainMs),
        measured(FIGURE, 'Debug Site, to the page and debugpy listening (ms)', 'ms', debugMs),
        measured(FIGURE, 'Debug Site / plain start', 'x', ratios(debugMs, plainMs), atMost(1.5)),
      ];
    });
  },
};
