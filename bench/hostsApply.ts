/**
 * Figure 5: writing 100 names into a 100,000-line hosts file (a temp file,
 * never the machine's) with the product's HostsEntries.apply, against a plain
 * read + write + rename of the same file (the floor: same bytes in, same bytes
 * out) and against `hostile` setting the same names one by one.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import hostile from 'hostile';
import { HostsEntries } from '../daemon/hosts/hostsEntries';
import { tempFolder } from '../test/support/tempProject';
import type { BenchOptions, Benchmark } from './benchmark';
import { onCleanup } from './cleanups';
import { atLeast, atMost, measured } from './report';
import type { Row } from './report';
import { elapsedMs, inTurn, ratios } from './stats';

const FIGURE = '5 hosts apply';
const LINES = 100_000;
const NAMES = Array.from({ length: 100 }, (_, i) => `site-${i}.bench-project.test`);
const ROOT = '/srv/bench-project';
const SYSTEM_HOSTS = '/etc/hosts';

const digest = (file: string): string | null => {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex');
  } catch {
    return null;
  }
};

/** Points hostile at `file` and proves it reads that file (a sentinel line) before anything is written. */
function aimHostile(file: string, sentinel: string): void {
  hostile.HOSTS = file;
  const seen = hostile.get(false).some((line) => Array.isArray(line) && line[1] === sentinel);
  if (hostile.HOSTS !== file || !seen) throw new Error(`hostile does not read ${file}; refusing to let it write anything`);
}

/** The three sides, pair by pair, on a 100,000-line file in `dir`. */
async function measure(dir: string, options: BenchOptions): Promise<Row[]> {
  const file = path.join(dir, 'hosts');
  const original = Array.from({ length: LINES }, (_, i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}\thost-${i}.lan`).join('\n') + '\n';
  const block = NAMES.map((name) => `127.0.0.1\t${name}\n`).join('');
  const reset = (): void => writeFileSync(file, original);
  const holdsAll = (): boolean => {
    const text = readFileSync(file, 'utf8');
    return NAMES.every((name) => text.includes(`127.0.0.1\t${name}`) || text.includes(`127.0.0.1 ${name}`));
  };

  const plain = async (): Promise<number> => {
    reset();
    const start = performance.now();
    const text = await readFile(file, 'latin1');
    const temp = `${file}.bench.tmp`;
    await writeFile(temp, text + block, 'latin1');
    await rename(temp, file);
    return elapsedMs(start);
  };
  const apply = async (run: number): Promise<number> => {
    reset();
    const home = path.join(dir, `home-${run}`); // a fresh daemon home: the journal starts empty, as on a first apply
    mkdirSync(home);
    const entries = new HostsEntries(home);
    const start = performance.now();
    await entries.apply(file, ROOT, NAMES);
    const ms = elapsedMs(start);
    if (!holdsAll()) throw new Error('HostsEntries.apply did not write every name');
    return ms;
  };
  const viaHostile = (): number => {
    reset();
    aimHostile(file, 'host-0.lan');
    const start = performance.now();
    for (const name of NAMES) hostile.set('127.0.0.1', name);
    const ms = elapsedMs(start);
    if (!holdsAll()) throw new Error('hostile did not write every name');
    return ms;
  };

  await plain(); // warm the page cache and the code paths, untimed
  await apply(-1);
  const plainMs: number[] = [];
  const applyMs: number[] = [];
  const hostileMs: number[] = [];
  for (let run = 0; run < options.runs; run++) {
    const [plainRun, applyRun] = await inTurn(run, plain, () => apply(run));
    plainMs.push(plainRun);
    applyMs.push(applyRun);
    if (run < options.hostileRuns) hostileMs.push(viaHostile());
  }
  return [
    measured(FIGURE, 'read + write + rename (ms)', 'ms', plainMs),
    measured(FIGURE, 'HostsEntries.apply, 100 names (ms)', 'ms', applyMs),
    measured(FIGURE, 'hostile.set x 100 (ms)', 'ms', hostileMs),
    measured(FIGURE, 'apply / plain', 'x', ratios(applyMs, plainMs), atMost(2)),
    measured(FIGURE, 'hostile / apply', 'x', ratios(hostileMs, applyMs.slice(0, hostileMs.length)), atLeast(100)),
  ];
}

export const hostsApply: Benchmark = {
  key: 'hosts',
  title: '5. Hosts apply',
  async run(options) {
    const dir = tempFolder('bench-hosts');
    const systemBefore = digest(SYSTEM_HOSTS);
    const rows = await measure(dir, options).finally(onCleanup(() => Promise.resolve(rmSync(dir, { recursive: true, force: true }))));
    // A tripwire: every writer here was aimed at a temp file, so the system's hosts file must be as it was.
    if (digest(SYSTEM_HOSTS) !== systemBefore) throw new Error(`${SYSTEM_HOSTS} changed during the hosts benchmark: check it`);
    return rows;
  },
};
