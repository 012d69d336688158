/**
 * Figure 2: the first switch to a site with no warm backend (proxy strategy;
 * the project's server is stopped before each run, untimed) until the main
 * address shows it, against a bare `manage.py runserver` (default
 * autoreloader, the same SITE_ID) from spawn to its first answer.
 */
import { spawn } from 'node:child_process';
import { choosePort } from '../daemon/runners/freePort';
import { killGroup } from '../daemon/runners/processGroup';
import type { Benchmark } from './benchmark';
import { onCleanup } from './cleanups';
import { atMost, measured, notMeasured } from './report';
import { DEMO_SITES, ServedDemo, firstAnswerOf, notProxied } from './servedDemo';
import type { DemoSite } from './servedDemo';
import { elapsedMs, inTurn, ratios } from './stats';

const FIGURE = '2 cold switch';

/** Spawn of `python manage.py runserver 127.0.0.1:PORT` (as the daemon spawns it) to the site's first answer; then stopped. */
async function timeBareRunserver(python: string, root: string, site: DemoSite): Promise<number> {
  const port = await choosePort(0);
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONUNBUFFERED: '1', SITE_ID: String(site.id) };
  const start = performance.now();
  const child = spawn(python, ['manage.py', 'runserver', `127.0.0.1:${port}`], { cwd: root, env, detached: true, stdio: 'ignore' });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${python}`);
  const stop = onCleanup(() => killGroup(pid, 2000));
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`bare runserver exited ${code} before answering`))));
  try {
    await Promise.race([firstAnswerOf(`http://127.0.0.1:${port}/`, site), exited]);
    return elapsedMs(start);
  } finally {
    exited.catch(() => undefined);
    await stop();
  }
}

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
        await proxied.stopServer();
        await proxied.waitFor('every backend stopped', (s) => s.backends.length === 0 && s.server.phase === 'stopped');
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
