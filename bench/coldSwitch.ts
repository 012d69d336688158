/**
 * Figure 2: the first switch to a site with no warm backend (proxy strategy;
 * the project's server is stopped before each run, untimed) until the main
 * address shows it, against a bare `manage.py runserver` (default
 * autoreloader, the same SITE_ID) from spawn to its first answer.
 */
import { timeBareRunserver } from './bareRunserver';
import type { Benchmark } from './benchmark';
import { atMost, measured, notMeasured } from './report';
import { DEMO_SITES, ServedDemo, notProxied } from './servedDemo';
import { inTurn, ratios } from './stats';

const FIGURE = '2 cold switch';

export const coldSwitch: Benchmark = {
  key: 'cold',
  title: '2. Cold switch',
  async run(options) {
    return ServedDemo.using(3, async (proxied) => {
      await proxied.switchTo(DEMO_SITES[0]);
      const reason = notProxied(await proxied.state());
      if (reason) return [notMeasured(FIGURE, 'cold switch vs bare runserver', reason)];
      const url = await proxied.mainUrl();
      const coldMs: number[] = [];
      const bareMs: number[] = [];
      for (let run = 0; run < options.runs; run++) {
        const site = DEMO_SITES[run % DEMO_SITES.length];
        await proxied.stopEverything();
        const [cold, bare] = await inTurn(
          run,
          () => proxied.timeSwitch(site, url),
          () => timeBareRunserver(proxied.venvPython, proxied.root, site),
        );
        coldMs.push(cold);
        bareMs.push(bare);
      }
      return [
        measured(FIGURE, 'bare runserver to first answer (ms)', 'ms', bareMs),
        measured(FIGURE, 'cold switch, proxy (ms)', 'ms', coldMs),
        measured(FIGURE, 'cold switch / bare runserver', 'x', ratios(coldMs, bareMs), atMost(1.1)),
      ];
    });
  },
};
