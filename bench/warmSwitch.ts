/**
 * Figure 1: switching to a site whose backend is already warm (the proxy,
 * warmSites 3), from the request until the main address first shows the new
 * site, against the same switch with the classic strategy (warmSites 0:
 * runserver restarted per switch), pair by pair in the same run.
 */
import type { Benchmark } from './benchmark';
import { atLeast, atMost, measured, notMeasured } from './report';
import { DEMO_SITES, ServedDemo, notProxied } from './servedDemo';
import { inTurn, ratios } from './stats';

const FIGURE = '1 warm switch';

export const warmSwitch: Benchmark = {
  key: 'warm',
  title: '1. Warm switch',
  async run(options) {
    return ServedDemo.using(3, async (proxied) => {
      for (const site of DEMO_SITES) await proxied.switchTo(site); // every site warm; gamma current
      const reason = notProxied(await proxied.state());
      if (reason) return [notMeasured(FIGURE, 'warm switch vs classic restart', reason)];
      await proxied.waitWarm(DEMO_SITES);
      const proxyUrl = await proxied.mainUrl();
      return ServedDemo.using(0, async (classic) => {
        await classic.switchTo(DEMO_SITES[DEMO_SITES.length - 1]);
        const classicState = await classic.state();
        if (classicState.strategy !== 'restart') throw new Error(`warmSites 0 gave the '${classicState.strategy}' strategy, not 'restart'`);
        const classicUrl = await classic.mainUrl();
        const warmMs: number[] = [];
        const coldMs: number[] = [];
        for (let run = 0; run < options.runs; run++) {
          const site = DEMO_SITES[run % DEMO_SITES.length]; // never the site just served
          await proxied.waitWarm([site]); // untimed: the figure is about a warm backend
          const [warm, cold] = await inTurn(
            run,
            () => proxied.timeSwitch(site, proxyUrl),
            () => classic.timeSwitch(site, classicUrl),
          );
          warmMs.push(warm);
          coldMs.push(cold);
        }
        return [
          measured(FIGURE, 'warm switch, proxy (ms)', 'ms', warmMs, atMost(50)),
          measured(FIGURE, 'classic restart, warmSites 0 (ms)', 'ms', coldMs),
          measured(FIGURE, 'classic restart / warm switch', 'x', ratios(coldMs, warmMs), atLeast(15)),
        ];
      });
    });
  },
};
