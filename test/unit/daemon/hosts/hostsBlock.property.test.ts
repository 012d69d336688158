/**
 * Properties of the hosts block transformations over 10,000 generated hosts
 * files a run (LF, CRLF and both mixed, a BOM, tabs, comments, NULs, bytes
 * that are not UTF-8, very long lines, no final newline, no file at all, other
 * tools' blocks, our markers inside comments, stale markers of ours) and random
 * sequences of apply / remove / per-daemon recovery / cleanup over three
 * projects and two daemons, with the user editing the file in between
 * (inserting or deleting a line anywhere, our markers included):
 * - no line of the user's is ever lost, and no line outside our blocks changes;
 * - applying twice is applying once;
 * - while the user has not edited the file, each block holds exactly its names,
 *   and with no block of ours left the file is its original bytes (or no file);
 * - a damaged marker of ours (a start without its end, an end without its
 *   start, a block repeated) makes us refuse, naming its line, instead of
 *   guessing where our lines are.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { DamagedBlock, applyBlock, blockId, damageSentence, listBlocks, removeBlock, removeBlocks } from '../../../../daemon/hosts/hostsBlock';
import type { Damage } from '../../../../daemon/hosts/hostsBlock';
import { foreignEntries } from '../../../../daemon/hosts/foreignEntries';
import { scanBlocks } from '../../../../daemon/hosts/blockScan';
import { addFigure } from '../../../support/figures';
import { legacyCreatedFile } from '../../../support/legacyHostsBlock';

const HOMES = ['/home/a/.local/state/multisite-local', '/tmp/other-home'];
const ROOTS = ['/srv/alpha', '/home/dev/bête projet', '/w/x y'];
const NAMES = ['alpha.example', 'www.alpha.example', 'beta.example', 'xn--bcher-kva.example', 'c.test'];
const IDS = HOMES.flatMap((home) => ROOTS.map((root) => blockId(home, root)));
// A deeper search, by hand: HOSTS_FUZZ_RUNS=100000 npx mocha ... this file (about 10 minutes).
const FUZZED = Number(process.env.HOSTS_FUZZ_RUNS) || 10_000;
// A failure prints its seed: HOSTS_FUZZ_SEED=<seed> (with the same HOSTS_FUZZ_RUNS) replays that search.
const REPLAY_SEED = process.env.HOSTS_FUZZ_SEED ? Number(process.env.HOSTS_FUZZ_SEED) : undefined;

const idOf = (home: number, root: number): string => blockId(HOMES[home], ROOTS[root]);
const byte = fc.integer({ min: 0, max: 255 }).map((b) => String.fromCharCode(b));

/** One line of a hosts file as the user (or another tool) writes it, as bytes (latin1 string), without its line ending. */
const userLine = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      '127.0.0.1\tlocalhost',
      '# comment',
      '',
      '   ',
      '\t::1 ip6-localhost\t# tabbed',
      '# BEGIN docker',
      '10.0.0.2 db # managed by docker',
      '# END docker',
      '# >>> conda initialize >>>',
      '10.0.0.1 alpha.example # the user maps one of our names',
      '127.0.0.1\tbeta.example', // our format, but alone: not one of our pairs
      '# caf\xe9 (Latin-1)',
      'caf\xc3\xa9 (UTF-8)',
      'nul\x00byte',
      '\xff\xfe\x80',
      '\xef\xbb\xbf# a BOM in the middle',
    ),
  },
  // Our markers where they are no markers: inside a comment, indented, in another tool's words.
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.constantFrom(...IDS, 'deadbeef'),
        fc.constantFrom('# # >>> multisite-local %s /srv/alpha >>>', ' # <<< multisite-local %s <<<', '#>>> multisite-local %s x >>>'),
      )
      .map(([id, form]) => form.replace('%s', id)),
  },
  // A stale marker of a daemon long gone, never closed or never opened.
  { weight: 1, arbitrary: fc.constantFrom('# >>> multisite-local deadbeef /not/closed >>>', '# <<< multisite-local 0badf00d <<<') },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 10_000 }).map((n) => `10.1.1.1 ${'long'.repeat(n >> 2)}.example`) },
  { weight: 3, arbitrary: fc.string({ unit: byte, maxLength: 40 }).filter((s) => !/[\r\n]/.test(s) && !/^::1\t/.test(s)) },
);

/** A copy of one of our marker lines, as a user pasting or retyping them makes: damage when in the wrong place. */
const markerCopy = fc
  .tuple(fc.nat(HOMES.length - 1), fc.nat(ROOTS.length - 1), fc.boolean())
  .map(([home, root, begin]) => (begin ? `# >>> multisite-local ${idOf(home, root)} ${ROOTS[root]} >>>` : `# <<< multisite-local ${idOf(home, root)} <<<`));

const eol = fc.constantFrom('\n', '\r\n');

const hostsFile = fc.tuple(fc.array(fc.tuple(userLine, eol), { maxLength: 12 }), fc.boolean(), fc.boolean()).map(([lines, finalEol, bom]) => {
  const text = lines.map(([line, end]) => line + end).join('');
  return (bom ? '\xef\xbb\xbf' : '') + (finalEol || lines.length === 0 ? text : text.slice(0, -lines[lines.length - 1][1].length));
});

type Step =
  | { op: 'apply'; home: number; root: number; names: string[] }
  | { op: 'remove'; home: number; root: number }
  | { op: 'recover'; home: number }
  | { op: 'cleanup' }
  /** `marker`: a copy of one of our markers (ours in form: a block it completes is ours), else a line of the user's. */
  | { op: 'insert'; at: number; line: string; eol: string; marker: boolean }
  | { op: 'delete'; at: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('apply' as const), home: fc.nat(1), root: fc.nat(2), names: fc.subarray(NAMES, { minLength: 1 }) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('remove' as const), home: fc.nat(1), root: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('recover' as const), home: fc.nat(1) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('cleanup' as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('insert' as const), at: fc.nat(), line: userLine, eol, marker: fc.constant(false) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('insert' as const), at: fc.nat(), line: markerCopy, eol, marker: fc.constant(true) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('delete' as const), at: fc.nat() }) },
);

/** The lines of a text without their line endings (a final CR of a CRLF ending dropped too). */
function linesOf(text: string | null): string[] {
  if (!text) return [];
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  if (text.endsWith('\n')) lines.pop();
  return lines;
}

/** Offsets where lines start (and the end, when the text ends with a line ending): where a user inserts a line. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
  if (!text.endsWith('\n') && text.length > 0) starts.pop();
  return starts;
}

const count = (lines: string[]): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const line of lines) counts.set(line, (counts.get(line) ?? 0) + 1);
  return counts;
};

/** The file without the block `id`: what an operation on that block may not change. */
const outside = (text: string | null, id: string): string | null => removeBlocks(text, new Set([id])).text;

/** A refusal names a line that is a marker of ours with that id. */
function assertNamesItsLine(text: string | null, damage: Damage, ids: ReadonlySet<string> | null): void {
  const line = linesOf(text)[damage.line - 1];
  assert.equal(line, damage.marker.text, `line ${damage.line} is the damaged marker`);
  assert.ok(ids === null || ids.has(damage.marker.id));
  assert.match(damageSentence('/etc/hosts', damage), new RegExp(`^/etc/hosts line ${damage.line} \\(.*, so that block was left as it is: .*\\.$`));
}

describe('hosts blocks: properties over random files and random sequences', () => {
  it(`loses no line of the user's, changes none outside our blocks, and gives the original bytes back (${FUZZED.toLocaleString('en-US')} files)`, function () {
    this.timeout(12 * FUZZED); // 10,000 files: about 2 s alone, 120 s allowed for a busy machine
    let files = 0;
    let refusals = 0;
    fc.assert(
      fc.property(fc.option(hostsFile, { nil: null, freq: 8 }), fc.array(step, { maxLength: 12 }), (original, steps) => {
        files++;
        let text: string | null = original;
        let pristine = true; // no edit of the user's yet: the exact bytes can be predicted
        const user = count(linesOf(original)); // lines of the user's, as a multiset
        const model = new Map<string, string[]>(); // block id -> names, while pristine
        /** One operation of ours: true when done, false when refused (with reason). */
        const ours = (action: () => string | null, ids: ReadonlySet<string>, block?: string): boolean => {
          const before = text;
          try {
            text = action();
          } catch (error) {
            if (!(error instanceof DamagedBlock)) throw error;
            refusals++;
            assertNamesItsLine(before, error.damage, ids);
            assert.ok(!pristine, 'only an edit of the user’s can damage a marker');
            return false;
          }
          if (block) assert.equal(outside(text, block), outside(before, block), 'no line outside the block changed');
          return true;
        };
        for (const s of steps) {
          if (s.op === 'apply') {
            const block = { id: idOf(s.home, s.root), root: ROOTS[s.root], names: s.names };
            // No file: the daemon refuses to create one, but files an older version created are still undone.
            const apply = (): string => (text === null ? legacyCreatedFile(block) : applyBlock(text, block));
            if (ours(apply, new Set([block.id]), block.id)) assert.equal(applyBlock(text ?? '', block), text, 'applying twice is applying once');
            if (pristine) model.set(block.id, s.names);
          } else if (s.op === 'remove') {
            const id = idOf(s.home, s.root);
            ours(() => removeBlock(text, id), new Set([id]), id);
            model.delete(id);
          } else if (s.op === 'recover' || s.op === 'cleanup') {
            const ids = s.op === 'cleanup' ? null : new Set(ROOTS.map((_, root) => idOf(s.home, root)));
            ours(
              () => {
                const removal = removeBlocks(text, ids);
                for (const damaged of removal.damaged) assertNamesItsLine(text, damaged, ids);
                // Before the user edits it, only the stale markers the file came with can be damaged.
                if (pristine) assert.ok(removal.damaged.every((d) => !IDS.includes(d.marker.id)));
                return removal.text;
              },
              new Set(ids ?? IDS),
            );
            for (const id of ids ?? IDS) model.delete(id);
          } else {
            // The user edits the file: the lines they add are theirs; a line they delete was theirs only if ours cannot account for it.
            pristine = false;
            const current = text ?? '';
            const starts = lineStarts(current);
            if (s.op === 'insert') {
              const at = starts[s.at % starts.length] ?? 0;
              text = current.slice(0, at) + s.line + s.eol + current.slice(at);
              // An entry typed inside our block exactly as we write ours may complete a pair of ours whose
              // other line the user deleted: the bytes are then the block we wrote, and no one could tell
              // the line is theirs (seed 290955953 of a 1,000,000-file search). Anywhere else it is theirs.
              const inBlock = scanBlocks(current).blocks.some((b) => b.start < at && at < b.end);
              const likeOurs = inBlock && /^(127\.0\.0\.1|::1)\t[^\s#]+$/.test(s.line);
              if (!s.marker && !likeOurs) user.set(s.line, (user.get(s.line) ?? 0) + 1);
            } else if (starts.length > 0) {
              const at = starts[s.at % starts.length];
              const next = current.indexOf('\n', at);
              const deleted = current.slice(at, next < 0 ? current.length : next).replace(/\r$/, '');
              text = current.slice(0, at) + (next < 0 ? '' : current.slice(next + 1));
              // Ours: a marker or an entry of one of our blocks (not a line someone put inside it).
              const block = scanBlocks(current).blocks.find((b) => b.start <= at && at < b.end);
              const ours = block !== undefined && !block.foreign.some((line) => line.replace(/\r?\n$/, '').replace(/\r$/, '') === deleted);
              if (!ours && (user.get(deleted) ?? 0) > 0) user.set(deleted, (user.get(deleted) ?? 0) - 1);
            }
            continue;
          }
          const now = count(linesOf(text));
          for (const [line, times] of user)
            assert.ok((now.get(line) ?? 0) >= times, `the user's line ${JSON.stringify(line)} is still there after ${JSON.stringify(s)}`);
          if (pristine) {
            assert.deepEqual(new Map(listBlocks(text).map((b) => [b.id, b.names])), model, 'each block is exactly its names');
            if (model.size === 0) assert.equal(text, original, 'no block of ours left: the original bytes');
          }
        }
        if (pristine) assert.equal(removeBlocks(text, null).text, original, 'cleanup gives the original bytes back');
      }),
      { numRuns: FUZZED, seed: REPLAY_SEED },
    );
    addFigure('hosts files fuzzed', files);
    addFigure('bytes lost', 0);
    assert.ok(refusals > 0, 'damaged markers were met and refused');
  });

  it('remove(apply(file)) is the file, and apply twice is apply once', () => {
    const block = { id: idOf(0, 1), root: ROOTS[1], names: ['alpha.example'] };
    fc.assert(
      fc.property(hostsFile, (text) => {
        const once = applyBlock(text, block);
        assert.equal(applyBlock(once, block), once);
        assert.equal(removeBlock(once, block.id), text);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps the end of a file without a final newline whatever the order (apply A, apply B, remove A, remove B)', () => {
    for (const eol of ['\n', '\r\n']) {
      const original = `127.0.0.1 localhost${eol}10.0.0.2 nas`;
      const a = { id: idOf(0, 0), root: ROOTS[0], names: ['alpha.example'] };
      const b = { id: idOf(1, 0), root: ROOTS[0], names: ['beta.example'] };
      const both = applyBlock(applyBlock(original, a), b);
      assert.equal(removeBlock(removeBlock(both, a.id), b.id), original);
      assert.equal(removeBlock(removeBlock(both, b.id), a.id), original);
    }
  });
});

/** The straightforward reading foreignEntries must agree with: every line outside our blocks, field by field (spaces and tabs separate fields). */
function foreignByLines(text: string, names: readonly string[]): { line: number; name: string; text: string }[] {
  const inBlocks = new Set<number>();
  const lines = text.split('\n');
  for (const block of listBlocks(text)) {
    const begin = lines.findIndex((l) => l.startsWith(`# >>> multisite-local ${block.id}`));
    const end = lines.findIndex((l, i) => i > begin && l.startsWith(`# <<< multisite-local ${block.id}`));
    for (let i = begin; i <= end; i++) inBlocks.add(i);
  }
  return lines.flatMap((content, i) => {
    if (inBlocks.has(i)) return [];
    const shown = content.replace(/\r$/, '');
    const hash = shown.indexOf('#');
    const fields = (hash < 0 ? shown : shown.slice(0, hash)).replace(/^[ \t]+|[ \t]+$/g, '');
    const [, ...hostnames] = fields === '' ? [] : fields.split(/[ \t]+/);
    return hostnames.filter((h) => names.includes(h.toLowerCase())).map((h) => ({ line: i + 1, name: h.toLowerCase(), text: shown }));
  });
}

describe('foreignEntries (property)', () => {
  it('finds exactly the lines outside our blocks that map one of our names (fields split on spaces and tabs, as the resolver reads them), with their line numbers', async () => {
    const field = fc.oneof(fc.constantFrom(...NAMES, 'ALPHA.example', 'other.test', '#', '# alpha.example', 'alpha.example#x'), fc.string({ maxLength: 6 }));
    const mapping = fc
      .tuple(fc.constantFrom('127.0.0.1', '10.0.0.1', '::1', '#'), fc.array(field, { maxLength: 4 }), fc.constantFrom(' ', '\t', '  ', '\xa0', '\v'))
      .map(([ip, rest, gap]) => [ip, ...rest].join(gap));
    // Many names too: the lookup must not depend on how many there are.
    const many = [...NAMES, ...Array.from({ length: 500 }, (_, i) => `site-${i}.example`)];
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(userLine, mapping), { maxLength: 30 }), fc.boolean(), fc.boolean(), async (lines, withBlock, all) => {
        let text = lines.join('\n');
        if (withBlock) text = applyBlock(text, { id: blockId(HOMES[0], ROOTS[0]), root: ROOTS[0], names: NAMES.slice(0, 3) });
        const names = all ? many : NAMES;
        assert.deepEqual(await foreignEntries(text, names), foreignByLines(text, names));
      }),
      { numRuns: 500 },
    );
  });
});
