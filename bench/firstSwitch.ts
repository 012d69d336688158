/**
 * Figure 8 (issue 22): the first `switch` after the daemon starts, end to end
 * through the CLI as a user types it with no daemon running: the CLI starts
 * the daemon, opens the project (its files, then the ask-Django read), serves
 * the site, returns, and the address it printed answers with the site's page.
 * Timed from the CLI's spawn to that answer, against a bare runserver start
 * to first answer (bareRunserver.ts), same project (the demo with 200 sites)
 * and site, alternating. The daemon and its servers are stopped untimed after
 * each, so neither side runs beside the other's leftovers. The daemon's home
 * is kept between them, as a person's is from one day to the next (it holds
 * V8's code for the CLI and the daemon, home/codeCache.ts); a first switch
 * in a new home, the first ever on a machine, is reported beside it.
 */
import { GetProjectState } from '../protocol/protocol';
import type { SwitchResult } from '../protocol/protocol';
import { choosePort } from '../daemon/runners/freePort';
import { timeBareRunserver } from './bareRunserver';
import { BenchDaemon } from './benchDaemon';
import type { Benchmark } from './benchmark';
import { atMost, measured } from './report';
import { DEMO_SITES, firstAnswerOf } from './servedDemo';
import type { DemoSite } from './servedDemo';
import { demoWithSites } from './sitesProject';
import type { SitesProject } from './sitesProject';
import { differences, elapsedMs, inTurn, ratios } from './stats';

const FIGURE = '8 first switch';

interface FirstSwitch {
  /** CLI spawn to the site's first answer at the address it printed. */
  totalMs: number;
  /** The daemon's own figure for the switch request (after its start and the open). */
  switchMs: number;
}

/** Remembers the project's server groups, so that dispose stops them even if the daemon did not. */
async function rememberGroups(daemon: BenchDaemon, root: string): Promise<void> {
  const link = await daemon.connect();
  try {
    const state = await link.connection.sendRequest(GetProjectState.type, { root });
    for (const pid of [state.server.pid, ...state.backends.map((b) => b.pid)]) if (pid !== null) daemon.groups.add(pid);
  } finally {
    link.dispose();
  }
}

/** One first switch with no daemon running in `daemon`'s home; the daemon is stopped (untimed) after. */
async function timeFirstSwitch(daemon: BenchDaemon, project: SitesProject, site: DemoSite): Promise<FirstSwitch> {
  try {
    const port = await choosePort(0);
    const start = performance.now();
    const result = await daemon.cli(['switch', site.slug, '--project', project.root, '--port', String(port), '--json']);
    if (result.code !== 0) throw new Error(`multisite-local switch ${site.slug} exited ${result.code}: ${result.stderr.trim() || result.stdout.trim()}`);
    const switched = JSON.parse(result.stdout) as SwitchResult;
    await firstAnswerOf(switched.url, site);
    const totalMs = elapsedMs(start);
    await rememberGroups(daemon, project.root);
    return { totalMs, switchMs: switched.elapsedMs };
  } finally {
    await daemon.stopDaemon();
  }
}

/** A first switch in a home of its own, removed after: the first on a machine. */
async function timeFirstEver(project: SitesProject, site: DemoSite): Promise<FirstSwitch> {
  const daemon = new BenchDaemon();
  try {
    return await timeFirstSwitch(daemon, project, site);
  } finally {
    await daemon.dispose();
  }
}

export const firstSwitch: Benchmark = {
  key: 'first',
  title: '8. First switch',
  async run(options) {
    const project = await demoWithSites();
    const daemon = new BenchDaemon();
    try {
      // Untimed: the daemon's bundle, the interpreter and the project into the page cache, V8's code into the home.
      await timeFirstSwitch(daemon, project, DEMO_SITES[0]);
      await timeBareRunserver(project.python, project.root, DEMO_SITES[0]);
      const firstMs: number[] = [];
      const switchMs: number[] = [];
      const bareMs: number[] = [];
      const everMs: number[] = [];
      for (let run = 0; run < options.runs; run++) {
        const site = DEMO_SITES[run % DEMO_SITES.length];
        const [first, bare] = await inTurn(
          run,
          () => timeFirstSwitch(daemon, project, site),
          () => timeBareRunserver(project.python, project.root, site),
        );
        firstMs.push(first.totalMs);
        switchMs.push(first.switchMs);
        bareMs.push(bare);
        everMs.push((await timeFirstEver(project, site)).totalMs);
      }
      return [
        measured(FIGURE, `bare runserver to first answer, ${project.label} (ms)`, 'ms', bareMs),
        measured(FIGURE, `first switch through the CLI, ${project.label} (ms)`, 'ms', firstMs),
        measured(FIGURE, 'of which CLI, daemon start, open and read (ms)', 'ms', differences(firstMs, switchMs)),
        measured(FIGURE, 'of which the switch request, daemon-timed (ms)', 'ms', switchMs),
        measured(FIGURE, 'first switch / bare runserver', 'x', ratios(firstMs, bareMs), atMost(1.3)),
        measured(FIGURE, 'first switch in a new home (the first on a machine) / bare runserver', 'x', ratios(everMs, bareMs)),
      ];
    } finally {
      await daemon.dispose();
      await project.dispose();
    }
  },
};
