/**
 * One HTTP load through autocannon's programmatic API. The p50 is computed
 * from every response's own time (autocannon's histogram keeps whole
 * milliseconds, too coarse for a 1 ms figure); throughput is requests per
 * second over the whole load.
 */
import autocannon from 'autocannon';
import { median } from './stats';

export interface LoadResult {
  p50Ms: number;
  requestsPerSecond: number;
  /** Connection errors, timeouts and answers other than 2xx. */
  failures: number;
}

export function load(url: string, connections: number, seconds: number): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    const instance = autocannon({ url, connections, duration: seconds }, (error: unknown, result) => {
      if (error) return reject(error instanceof Error ? error : new Error(`autocannon could not load ${url}`, { cause: error }));
      if (latencies.length === 0) return reject(new Error(`${url} gave no successful answer in ${seconds} s`));
      resolve({
        p50Ms: median(latencies),
        requestsPerSecond: result.requests.total / result.duration,
        failures: result.errors + result.timeouts + result.non2xx,
      });
    });
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
}
