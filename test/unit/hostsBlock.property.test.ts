/**
 * Properties of the hosts block transformations over arbitrary files (any
 * line ending, a BOM, NULs, bytes that are not UTF-8, no final newline, other
 * tools' blocks, the user's own lines for our names) and arbitrary sequences
 * of apply / remove / per-daemon recovery over three projects and two daemons:
 * after every step each block holds exactly its names, and whenever no block
 * of ours is left the file is its original bytes (or no file, if there was none).
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { applyBlock, blockId, foreignEntries, listBlocks, removeAllBlocks, removeBlock, removeBlocks } from '../../daemon/hosts/hostsBlock';

const HOMES = ['/home/a/.local/state/multisite-local', '/tmp/other-home'];
const ROOTS = ['/srv/alpha', '/home/dev/bête projet', '/w/x y'];
const NAMES = ['alpha.example', 'www.alpha.example', 'beta.example', 'xn--bcher-kva.example', 'c.test'];

/** One line of a hosts file, as bytes (latin1 string). */
const line = fc.oneof(
  fc.constantFrom(
    '127.0.0.1\tlocalhost',
    '# comment',
    '',
    '   ',
    '\t::1 ip6-localhost',
    '# >>> multisite-local deadbeef /not/closed >>>',
    '# BEGIN other tool',
    '10.0.0.1 alpha.example # the user maps one of our names',
    '127.0.0.1\tbeta.example',
    '# caf\xe9 (Latin-1)',
    'caf\xc3\xa9 (UTF-8)',
    'nul\x00byte',
    '\xff\xfe\x80',
  ),
  fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((b) => String.fromCharCode(b)) }).filter((s) => !/[\r\n]/.test(s)),
);

const file = fc
  .tuple(fc.array(line, { maxLength: 10 }), fc.constantFrom('\n', '\r\n'), fc.boolean(), fc.boolean())
  .map(([lines, eol, finalEol, bom]) => (bom ? '\xef\xbb\xbf' : '') + lines.join(eol) + (finalEol && lines.length ? eol : ''));

type Step = { op: 'apply'; home: number; root: number; names: string[] } | { op: 'remove'; home: number; root: number } | { op: 'recover'; home: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ op: fc.constant('apply' as const), home: fc.nat(1), root: fc.nat(2), names: fc.subarray(NAMES, { minLength: 1 }) }),
  fc.record({ op: fc.constant('remove' as const), home: fc.nat(1), root: fc.nat(2) }),
  fc.record({ op: fc.constant('recover' as const), home: fc.nat(1) }),
);

const idOf = (home: number, root: number): string => blockId(HOMES[home], ROOTS[root]);

describe('hosts blocks: properties over random files and random sequences', () => {
  it('each block holds exactly its names after every step, and no blocks left means the original bytes', () => {
    fc.assert(
      fc.property(fc.option(file, { nil: null, freq: 5 }), fc.array(step, { maxLength: 12 }), (original, steps) => {
        let text: string | null = original;
        const model = new Map<string, string[]>(); // block id -> names
        for (const s of steps) {
          if (s.op === 'apply') {
            const id = idOf(s.home, s.root);
            text = applyBlock(text, { id, root: ROOTS[s.root], names: s.names });
            model.set(id, s.names);
          } else if (s.op === 'remove') {
            text = removeBlock(text, idOf(s.home, s.root));
            model.delete(idOf(s.home, s.root));
          } else {
            const ids = new Set(ROOTS.map((_, root) => idOf(s.home, root)));
            text = removeBlocks(text, ids);
            for (const id of ids) model.delete(id);
          }
          const found = new Map(listBlocks(text).map((b) => [b.id, b.names]));
          assert.deepEqual(found, model, 'each block is exactly its names');
          if (model.size === 0) assert.equal(text, original, 'no block of ours left: the original bytes');
        }
        assert.equal(removeAllBlocks(text), original, 'cleanup gives the original bytes back');
      }),
      { numRuns: 1000 },
    );
  });

  it('remove(apply(file)) is the file, and apply twice is apply once', () => {
    const block = { id: idOf(0, 1), root: ROOTS[1], names: ['alpha.example'] };
    fc.assert(
      fc.property(file, (text) => {
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

/** The straightforward reading foreignEntries must agree with: every line outside our blocks, field by field. */
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
    const [, ...hostnames] = shown.replace(/#.*$/, '').trim().split(/\s+/);
    return hostnames.filter((h) => names.includes(h.toLowerCase())).map((h) => ({ line: i + 1, name: h.toLowerCase(), text: shown }));
  });
}

describe('foreignEntries (property)', () => {
  it('finds exactly the lines outside our blocks that map one of our names, with their line numbers', () => {
    const field = fc.oneof(fc.constantFrom(...NAMES, 'ALPHA.example', 'other.test', '#', '# alpha.example', 'alpha.example#x'), fc.string({ maxLength: 6 }));
    const userLine = fc
      .tuple(fc.constantFrom('127.0.0.1', '10.0.0.1', '::1', '#'), fc.array(field, { maxLength: 4 }), fc.constantFrom(' ', '\t', '  '))
      .map(([ip, rest, gap]) => [ip, ...rest].join(gap));
    fc.assert(
      fc.property(fc.array(fc.oneof(line, userLine), { maxLength: 30 }), fc.boolean(), (lines, withBlock) => {
        let text = lines.join('\n');
        if (withBlock) text = applyBlock(text, { id: blockId(HOMES[0], ROOTS[0]), root: ROOTS[0], names: NAMES.slice(0, 3) });
        assert.deepEqual(foreignEntries(text, NAMES), foreignByLines(text, NAMES));
      }),
      { numRuns: 500 },
    );
  });
});
