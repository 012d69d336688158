/**
 * Figure 9 (issue 24): Debug Site, from the request until debugpy listens (the
 * request's answer: a debugger can attach at once), against a plain start of
 * the same site's backend (a switch until its page answers), each from a
 * stopped project, alternating, in the same run. Also shown, not judged: until
 * the debugged site's page answers, which costs debugpy's start in both of
 * runserver's processes and its own autoreloader parent (which imports the
 * project too) in place of the light reloader the plain start runs.
 */
import { DebugSite } from '../protocol/protocol';
import type { Benchmark } from './benchmark';
import { atMost, measured, notMeasured } from './report';
import { DEMO_SITES, ServedDemo, getOnce, notProxied, showsSite } from './servedDemo';
import type { DemoSite } from './servedDemo';
import { elapsedMs, inTurn, ratios } from './stats';

const FIGURE = '9 debug site';

/** Milliseconds until Debug Site answered, and until the site's page did (through the proxy, which holds it meanwhile). */
async function timeDebug(demo: ServedDemo, site: DemoSite): Promise<{ listening: number; page: number }> {
  const start = performance.now();
  const { url } = await demo.link.connection.sendRequest(DebugSite.type, { root: demo.root, site: site.slug });
  const listening = elapsedMs(start);
  const address = new URL(url);
  const { body } = await getOnce(`http://127.0.0.1:${address.port}/`, 60_000, address.host);
  if (!showsSite(body, site)) throw new Error(`${url} did not show ${site.name} under debugpy`);
  return { listening, page: elapsedMs(start) };
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
      await demo.stopEverything();
      await timeDebug(demo, DEMO_SITES[0]);
      const debugMs: number[] = [];
      const pageMs: number[] = [];
      const plainMs: number[] = [];
      for (let run = 0; run < options.runs; run++) {
        const site = DEMO_SITES[run % DEMO_SITES.length];
        const [debug, plain] = await inTurn(
          run,
          async () => {
            await demo.stopEverything();
            return timeDebug(demo, site);
          },
          async () => {
            await demo.stopEverything();
            return demo.timeSwitch(site, url);
          },
        );
        debugMs.push(debug.listening);
        pageMs.push(debug.page);
        plainMs.push(plain);
      }
      return [
        measured(FIGURE, 'plain start of a site, to its page (ms)', 'ms', plainMs),
        measured(FIGURE, 'Debug Site, to debugpy listening (ms)', 'ms', debugMs),
        measured(FIGURE, 'Debug Site / plain start', 'x', ratios(debugMs, plainMs), atMost(1.5)),
        measured(FIGURE, 'Debug Site, to its page (ms)', 'ms', pageMs),
      ];
    });
  },
};
