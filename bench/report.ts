/**
 * Rows of the bench's table: one measured quantity each, summarized as
 * min / median / max over the runs, with the target beside it and
 * whether the run met it. Also renders them as text for the terminal.
 */
import { summarize } from './stats';
import type { Summary } from './stats';

export type Unit = 'ms' | 'x' | 'MB' | 'req/s';

export interface Target {
  op: '<=' | '>=';
  value: number;
  /** Which statistic is held to the target. */
  judgedOn: 'median' | 'max';
}

export type Outcome = 'PASS' | 'MISS' | 'info' | 'not measured' | 'failed';

export interface Row {
  figure: string;
  measure: string;
  unit: Unit;
  /** Every run's value, in the order measured. */
  samples: number[];
  summary: Summary | null;
  target: Target | null;
  outcome: Outcome;
  note: string | null;
}

export function measured(figure: string, measure: string, unit: Unit, samples: number[], target: Target | null = null): Row {
  const summary = summarize(samples);
  let outcome: Outcome = 'info';
  if (target) {
    const value = summary[target.judgedOn];
    outcome = (target.op === '<=' ? value <= target.value : value >= target.value) ? 'PASS' : 'MISS';
  }
  return { figure, measure, unit, samples, summary, target, outcome, note: null };
}

export function notMeasured(figure: string, measure: string, reason: string): Row {
  return { figure, measure, unit: 'x', samples: [], summary: null, target: null, outcome: 'not measured', note: reason };
}

export function failedRow(figure: string, error: unknown): Row {
  const reason = error instanceof Error ? error.message : String(error);
  return { figure, measure: '(benchmark failed)', unit: 'x', samples: [], summary: null, target: null, outcome: 'failed', note: reason };
}

export const atMost = (value: number, judgedOn: Target['judgedOn'] = 'median'): Target => ({ op: '<=', value, judgedOn });
export const atLeast = (value: number, judgedOn: Target['judgedOn'] = 'median'): Target => ({ op: '>=', value, judgedOn });

function formatValue(value: number, unit: Unit): string {
  if (unit === 'x') return `${value.toFixed(value >= 100 ? 0 : 2)}x`;
  if (unit === 'req/s') return value.toFixed(0);
  return value.toFixed(Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2);
}

function formatTarget(target: Target | null, unit: Unit): string {
  if (!target) return '';
  const shown = unit === 'x' ? `${target.value}x` : `${target.value} ${unit}`;
  return `${target.op} ${shown} (${target.judgedOn})`;
}

/** A plain-text table; `not measured` and `failed` rows carry their reason in the last column. */
export function renderTable(rows: Row[]): string {
  const header = ['figure', 'measure', 'unit', 'min', 'median', 'max', 'target', 'result'];
  const cells = rows.map((row) => {
    const stats = row.summary ? [row.summary.min, row.summary.median, row.summary.max].map((v) => formatValue(v, row.unit)) : ['', '', ''];
    const result = row.note ? `${row.outcome}: ${row.note}` : row.outcome;
    return [row.figure, row.measure, row.summary ? row.unit : '', ...stats, formatTarget(row.target, row.unit), result];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (i === header.length - 1 ? 0 : c[i].length))));
  const numeric = new Set([3, 4, 5]);
  const line = (c: string[]): string =>
    c
      .map((text, i) => (i === c.length - 1 ? text : numeric.has(i) ? text.padStart(widths[i]) : text.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}
