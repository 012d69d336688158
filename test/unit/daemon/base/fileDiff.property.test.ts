/**
 * The daemon's unified diff against the diff library's own: on random texts
 * (one region changed, as our edits change files, or anything at all) applying
 * it to the old text gives the new one, and it changes as few lines as the
 * library's (both are shortest edits; with repeated lines they may pick
 * different ones). A region changed wholesale is shown whole. A block of 10,000 names replaced by another is
 * diffed in linear time (the library alone took 50 s).
 */
import * as assert from 'node:assert/strict';
import { applyPatch, createTwoFilesPatch } from 'diff';
import fc from 'fast-check';
import { unifiedDiff } from '../../../../daemon/base/fileDiff';

const line = fc.constantFrom('a', 'b', 'c', '', '127.0.0.1\tx.example', '\r', 'x\r');
const text = fc.tuple(fc.array(line, { maxLength: 12 }), fc.boolean()).map(([lines, finalEol]) => lines.join('\n') + (finalEol && lines.length ? '\n' : ''));
/** `base` with one region replaced: what our edits do to a file. */
const edited = fc.tuple(text, fc.nat(), fc.nat(), text).map(([base, at, length, inserted]) => {
  const start = at % (base.length + 1);
  return { before: base, after: base.slice(0, start) + inserted + base.slice(start + (length % (base.length - start + 1))) };
});

/** How many lines a diff takes out and puts in. */
const changed = (diff: string): [number, number] => {
  const lines = diff.split('\n').slice(4);
  return [lines.filter((l) => l.startsWith('-')).length, lines.filter((l) => l.startsWith('+')).length];
};

describe('unified diff of a changed file', () => {
  it('applies back, and changes as few lines as the diff library’s own diff', () => {
    fc.assert(
      fc.property(fc.oneof(edited, fc.record({ before: text, after: text })), ({ before, after }) => {
        const diff = unifiedDiff('/etc/hosts', before, after);
        if (before === after) return assert.equal(diff, '');
        assert.equal(applyPatch(before, diff), after, diff);
        assert.deepEqual(changed(diff), changed(createTwoFilesPatch('/etc/hosts', '/etc/hosts', before, after, 'now', 'after')));
      }),
      { numRuns: 1000 },
    );
  });

  it('applies back when the changed region is shown whole (more lines changed than the diff compares)', () => {
    fc.assert(
      fc.property(fc.oneof(edited, fc.record({ before: text, after: text })), fc.nat(3), ({ before, after }, maxEditLength) => {
        assert.equal(applyPatch(before, unifiedDiff('/etc/hosts', before, after, maxEditLength)), before === after ? before : after);
      }),
      { numRuns: 1000 },
    );
  });

  it('shows a region changed wholesale as its old lines out and its new lines in, in linear time', () => {
    const hosts = Array.from({ length: 100_000 }, (_, i) => `10.0.${i >> 8}.${i & 255}\thost-${i}.lan\n`).join('');
    const block = (prefix: string): string =>
      ['# >>> ours >>>\n', ...Array.from({ length: 5000 }, (_, i) => `127.0.0.1\t${prefix}-${i}.test\n::1\t${prefix}-${i}.test\n`), '# <<< ours <<<\n'].join(
        '',
      );
    const before = hosts + block('site') + '# the user line after\n';
    const after = hosts + block('web') + '# the user line after\n';
    const diff = unifiedDiff('/etc/hosts', before, after);
    assert.equal(applyPatch(before, diff), after);
    assert.match(diff, /^@@ -99998,10006 \+99998,10006 @@$/m);
  });
});
