/**
 * Figure 4: the daemon's resident memory (VmRSS of the pid that
 * `multisite-local status --json` reports) while it runs the proxy with
 * three warm backends, sampled once per run after a switch and a few proxied
 * requests; the backends' own memory (rssBytes in the state) beside it.
 * MB here is 10^6 bytes.
 */
import { readFileSync } from 'node:fs';
import type { Benchmark } from './benchmark';
import { atMost, measured, notMeasured } from './report';
import type { Row } from './report';
import { DEMO_SITES, ServedDemo, getOnce, notProxied } from './servedDemo';

const FIGURE = '4 memory';
const MB = 1e6;
const REQUESTS_PER_RUN = 20;

function residentBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) * 1024;
}

export const memory: Benchmark = {
  key: 'memory',
  title: '4. Memory',
  async run(options) {
    // A server per site: three warm backends, as the figure has always measured (figure 10 has one for every site).
    return ServedDemo.using({ warmSites: 3, routing: 'siteId' }, async (proxied) => {
      for (const site of DEMO_SITES) await proxied.switchTo(site);
      const reason = notProxied(await proxied.state());
      const status = await proxied.daemon.cli(['status', '--json'], proxied.root);
      if (status.code !== 0) throw new Error(`multisite-local status exited ${status.code}: ${status.stderr.trim()}`);
      const daemonPid = (JSON.parse(status.stdout) as { daemon: { pid: number } }).daemon.pid;
      const url = await proxied.mainUrl();
      const daemonMb: number[] = [];
      const backendMb = new Map<string, number[]>();
      for (let run = 0; run < options.runs; run++) {
        const site = DEMO_SITES[run % DEMO_SITES.length];
        await proxied.switchTo(site);
        for (let i = 0; i < REQUESTS_PER_RUN; i++) await getOnce(url);
        const state = reason ? await proxied.state() : await proxied.waitWarm(DEMO_SITES);
        daemonMb.push(residentBytes(daemonPid) / MB);
        for (const backend of state.backends) {
          if (backend.rssBytes === null) continue;
          const samples = backendMb.get(backend.label) ?? [];
          samples.push(backend.rssBytes / MB);
          backendMb.set(backend.label, samples);
        }
      }
      if (reason)
        return [
          notMeasured(FIGURE, 'daemon RSS with the proxy and 3 warm backends', reason),
          measured(FIGURE, 'daemon RSS, classic strategy (MB)', 'MB', daemonMb),
        ];
      const rows: Row[] = [measured(FIGURE, 'daemon RSS, proxy + 3 warm backends (MB)', 'MB', daemonMb, atMost(60, 'max'))];
      for (const [label, samples] of [...backendMb].sort(([a], [b]) => a.localeCompare(b)))
        rows.push(measured(FIGURE, `backend ${label} RSS (MB)`, 'MB', samples));
      return rows;
    });
  },
};
