/**
 * The figures the reliability and security tests prove their claims with
 * (files fuzzed, faults injected, switches, attacks tried, bytes lost): each
 * test adds to a named count, and scripts/run-tests.mjs sums them across the
 * suites and prints them at the end of the run. A test file run on its own
 * prints its figures as it goes.
 */
import { appendFileSync } from 'node:fs';

/** The figures the README quotes, in the order they are printed. */
export type Figure = 'hosts files fuzzed' | 'compose files fuzzed' | 'faults injected' | 'switches' | 'attacks tried' | 'bad inputs tried' | 'bytes lost';

export function addFigure(figure: Figure, count: number): void {
  const file = process.env.MULTISITE_LOCAL_FIGURES_FILE;
  if (file) appendFileSync(file, `${JSON.stringify({ figure, count })}\n`);
  else console.log(`      figure: ${figure} +${count}`);
}
