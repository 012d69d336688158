/**
 * `npm run bench`: runs each benchmark (or those BENCH_ONLY names, comma
 * separated: warm, cold, proxy, memory, hosts, cli, read, first, debug,
 * onePerRequest), prints one table and writes every run's values as JSON to
 * bench/results/latest.json (gitignored; BENCH_OUT for another path). Figures are ratios measured pair
 * by pair in this run, with the target beside each; a MISS is
 * reported, not thrown: the exit code is 1 only when a benchmark could not run
 * at all.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Benchmark } from './benchmark';
import { optionsFromEnv } from './benchmark';
import { cleanUpAll } from './cleanups';
import { cliStatus } from './cliStatus';
import { debugStart } from './debugStart';
import { coldSwitch } from './coldSwitch';
import { djangoRead } from './djangoRead';
import { firstSwitch } from './firstSwitch';
import { hostsApply } from './hostsApply';
import { memory } from './memory';
import { onePerRequest } from './onePerRequest';
import { proxyOverhead } from './proxyOverhead';
import { failedRow, renderTable } from './report';
import type { Row } from './report';
import { warmSwitch } from './warmSwitch';

const BENCHMARKS: Benchmark[] = [warmSwitch, coldSwitch, proxyOverhead, memory, hostsApply, cliStatus, djangoRead, firstSwitch, debugStart, onePerRequest];

function selected(only: string | undefined): Benchmark[] {
  if (!only) return BENCHMARKS;
  const keys = only.split(',').map((k) => k.trim());
  const unknown = keys.filter((k) => !BENCHMARKS.some((b) => b.key === k));
  if (unknown.length > 0) throw new Error(`BENCH_ONLY: unknown ${unknown.join(', ')} (known: ${BENCHMARKS.map((b) => b.key).join(', ')})`);
  return BENCHMARKS.filter((b) => keys.includes(b.key));
}

async function main(): Promise<number> {
  const options = optionsFromEnv(process.env);
  const benchmarks = selected(process.env.BENCH_ONLY);
  const startedAt = new Date().toISOString();
  const rows: Row[] = [];
  for (const benchmark of benchmarks) {
    process.stderr.write(`${benchmark.title}...\n`);
    const started = performance.now();
    try {
      rows.push(...(await benchmark.run(options)));
    } catch (error) {
      rows.push(failedRow(benchmark.title, error));
    } finally {
      await cleanUpAll(); // whatever a failed benchmark left behind
    }
    process.stderr.write(`${benchmark.title}: ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  }
  console.log(renderTable(rows));
  const out = process.env.BENCH_OUT || path.join(__dirname, 'results', 'latest.json');
  mkdirSync(path.dirname(out), { recursive: true });
  const machine = { node: process.version, platform: process.platform, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? null };
  writeFileSync(out, JSON.stringify({ startedAt, finishedAt: new Date().toISOString(), machine, options, rows }, null, 2) + '\n');
  console.log(`\nJSON: ${out}`);
  return rows.some((r) => r.outcome === 'failed') ? 1 : 0;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`\n${signal}: stopping what the bench started...\n`);
    void cleanUpAll().finally(() => process.exit(130));
  });
}

main().then(
  (code) => (process.exitCode = code),
  async (error: unknown) => {
    await cleanUpAll();
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  },
);
