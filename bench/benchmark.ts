/**
 * What every benchmark is: a key (for BENCH_ONLY), a title, and a run that
 * returns its rows. The settings come from the environment so that a quick
 * look (BENCH_RUNS=3) and a careful one use the same code.
 */
import type { Row } from './report';

export interface BenchOptions {
  /** Repetitions of every timed pair (BENCH_RUNS). */
  runs: number;
  /** Repetitions of the slow `hostile` side of the hosts figure (BENCH_HOSTILE_RUNS, at most `runs`). */
  hostileRuns: number;
  /** Seconds of each autocannon load (BENCH_LOAD_SECONDS). */
  loadSeconds: number;
  /** Concurrent connections of the throughput load (BENCH_CONNECTIONS); latency is measured with one. */
  connections: number;
}

export interface Benchmark {
  key: string;
  title: string;
  run(options: BenchOptions): Promise<Row[]>;
}

function positiveNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, integer = true): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!(value > 0) || (integer && !Number.isInteger(value)))
    throw new Error(`${name} must be a positive ${integer ? 'integer' : 'number'}, not ${JSON.stringify(raw)}`);
  return value;
}

export function optionsFromEnv(env: NodeJS.ProcessEnv): BenchOptions {
  const runs = positiveNumber(env, 'BENCH_RUNS', 7);
  return {
    runs,
    hostileRuns: Math.min(runs, positiveNumber(env, 'BENCH_HOSTILE_RUNS', 3)),
    loadSeconds: positiveNumber(env, 'BENCH_LOAD_SECONDS', 2, false),
    connections: positiveNumber(env, 'BENCH_CONNECTIONS', 8),
  };
}
