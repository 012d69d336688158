/**
 * The arithmetic of the bench: every figure is reported as min / median / max
 * over repeated runs, and every comparison is made pair by pair (run i of one
 * side against run i of the other, measured back to back in the same process),
 * so that a machine that slows down during the bench moves both sides together.
 */

export interface Summary {
  n: number;
  min: number;
  median: number;
  max: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('the median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new Error('no runs to summarize');
  return { n: values.length, min: Math.min(...values), median: median(values), max: Math.max(...values) };
}

function pairwise(a: readonly number[], b: readonly number[], combine: (x: number, y: number) => number): number[] {
  if (a.length !== b.length) throw new Error(`pairs need as many runs on each side (${a.length} and ${b.length})`);
  return a.map((x, i) => combine(x, b[i]));
}

/** `numerators[i] / denominators[i]` for each pair of runs. */
export function ratios(numerators: readonly number[], denominators: readonly number[]): number[] {
  return pairwise(numerators, denominators, (x, y) => x / y);
}

/** `a[i] - b[i]` for each pair of runs. */
export function differences(a: readonly number[], b: readonly number[]): number[] {
  return pairwise(a, b, (x, y) => x - y);
}

/**
 * One run of each side, back to back: `a` first on even runs, `b` first on odd ones, so
 * neither always runs on a warmer cache. Resolves with both results, `a`'s first.
 */
export async function inTurn<A, B>(run: number, a: () => Promise<A>, b: () => Promise<B>): Promise<[A, B]> {
  if (run % 2 === 0) {
    const first = await a();
    return [first, await b()];
  }
  const second = await b();
  return [await a(), second];
}

/** Milliseconds since `start` (a performance.now() reading). */
export function elapsedMs(start: number): number {
  return performance.now() - start;
}
