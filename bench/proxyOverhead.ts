/**
 * Figure 3: what the local proxy adds to a request. The same warm backend is
 * loaded with autocannon directly (its internal address, `backends[i].url`)
 * and through the main address, alternating which goes first: p50 latency
 * with one connection (no queueing), throughput with BENCH_CONNECTIONS.
 * autocannon keeps connections alive, as browsers do; runserver answers a
 * reused connection about 40 ms late (headers and body in two writes without
 * TCP_NODELAY, against the client's delayed ACK), so the direct p50 carries
 * that delay, and the proxied one shows whether the proxy adds to it.
 */
import type { Benchmark } from './benchmark';
import { load } from './load';
import type { LoadResult } from './load';
import { atLeast, atMost, measured, notMeasured } from './report';
import { DEMO_SITES, ServedDemo, firstAnswerOf, notProxied } from './servedDemo';
import { differences, inTurn, ratios } from './stats';

const FIGURE = '3 proxy overhead';

export const proxyOverhead: Benchmark = {
  key: 'proxy',
  title: '3. Proxy overhead',
  async run(options) {
    return ServedDemo.using(3, async (proxied) => {
      const site = DEMO_SITES[1];
      await proxied.switchTo(site);
      const reason = notProxied(await proxied.state());
      if (reason) return [notMeasured(FIGURE, 'proxied vs direct', reason)];
      const backend = proxied.backendOf(await proxied.waitWarm([site]), site);
      if (!backend?.url) throw new Error(`the backend of ${site.slug} has no address in the project state`);
      const direct = backend.url;
      const proxy = await proxied.mainUrl();
      for (const url of [direct, proxy]) await firstAnswerOf(url, site, 5000); // both must be the same page
      for (const url of [direct, proxy]) await load(url, 1, 0.5); // untimed warm-up
      const seconds = options.loadSeconds;
      const pair = (run: number, connections: number): Promise<[LoadResult, LoadResult]> =>
        inTurn(
          run,
          () => load(direct, connections, seconds),
          () => load(proxy, connections, seconds),
        );
      const latency: { direct: number[]; proxy: number[] } = { direct: [], proxy: [] };
      const throughput: { direct: number[]; proxy: number[] } = { direct: [], proxy: [] };
      let failures = 0;
      for (let run = 0; run < options.runs; run++) {
        const [d1, p1] = await pair(run, 1);
        const [dN, pN] = await pair(run + 1, options.connections); // the other order than the latency pair
        latency.direct.push(d1.p50Ms);
        latency.proxy.push(p1.p50Ms);
        throughput.direct.push(dN.requestsPerSecond);
        throughput.proxy.push(pN.requestsPerSecond);
        failures += d1.failures + p1.failures + dN.failures + pN.failures;
      }
      const rows = [
        measured(FIGURE, 'direct p50, 1 connection (ms)', 'ms', latency.direct),
        measured(FIGURE, 'proxied p50, 1 connection (ms)', 'ms', latency.proxy),
        measured(FIGURE, 'proxied - direct p50 (ms)', 'ms', differences(latency.proxy, latency.direct), atMost(1)),
        measured(FIGURE, `direct, ${options.connections} connections (req/s)`, 'req/s', throughput.direct),
        measured(FIGURE, `proxied, ${options.connections} connections (req/s)`, 'req/s', throughput.proxy),
        measured(FIGURE, 'proxied / direct throughput', 'x', ratios(throughput.proxy, throughput.direct), atLeast(0.8)),
      ];
      if (failures > 0) rows[rows.length - 1].note = `${failures} failed requests during the loads`;
      return rows;
    });
  },
};
