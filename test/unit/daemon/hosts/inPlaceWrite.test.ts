/**
 * Writing a hosts file in place (where rename cannot work): a write cut short
 * anywhere is told apart from any other change and finished on the next
 * start; a file changed since is left alone with a sentence; a failed write
 * puts the old bytes back.
 */
import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { finishInPlaceWrites, isPartWritten, writeInPlace } from '../../../../daemon/hosts/inPlaceWrite';
import { tempFolder } from '../../../support/tempProject';

const bytes = fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a));

/** `before` overwritten by `after` from `from` up to `upTo`, as a write cut short leaves it. */
function cutShort(before: Buffer, after: Buffer, from: number, upTo: number): Buffer {
  const written = Buffer.concat([after.subarray(0, upTo), before.subarray(Math.min(upTo, before.length))]);
  return upTo >= before.length ? after.subarray(0, upTo) : written.subarray(0, Math.max(before.length, from));
}

describe('writes in place', () => {
  let dir: string;
  beforeEach(() => (dir = tempFolder('inplace')));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('tells a write cut short (anywhere) from the old and new bytes, and from other changes', () => {
    fc.assert(
      fc.property(bytes, bytes, fc.nat(), (before, after, cut) => {
        let from = 0;
        while (from < Math.min(before.length, after.length) && before[from] === after[from]) from++;
        const upTo = from + (cut % (after.length - from + 1));
        assert.ok(isPartWritten(cutShort(before, after, from, upTo), before, after, from));
      }),
      { numRuns: 2000 },
    );
    const before = Buffer.from('127.0.0.1 localhost\n# >>> ours\n1\n2\n# <<< ours\n10.0.0.9 nas\n');
    const after = Buffer.from('127.0.0.1 localhost\n10.0.0.9 nas\n');
    assert.equal(isPartWritten(Buffer.from('127.0.0.1 localhost\n# >>> ours\n1\n2\n# <<< ours\n10.0.0.9 NAS\n'), before, after, 20), false, 'another edit');
  });

  it('finishes on the next start a write killed before the cut, and leaves alone a file changed since', async () => {
    const file = path.join(dir, 'hosts');
    const base = path.join(dir, 'hosts-backup-x');
    const before = Buffer.from('127.0.0.1 localhost\n# >>> ours\n127.0.0.1\ta.example\n# <<< ours\n10.0.0.9 nas\n');
    const after = Buffer.from('127.0.0.1 localhost\n10.0.0.9 nas\n');
    // What a kill between the write and the cut leaves: the record, and the new bytes over the old.
    writeFileSync(`${base}.in-place.before`, before);
    writeFileSync(`${base}.in-place.after`, after);
    writeFileSync(`${base}.in-place.json`, JSON.stringify({ file, from: 20 }));
    writeFileSync(file, Buffer.concat([after, before.subarray(after.length)]));
    assert.deepEqual((await finishInPlaceWrites(dir)).failures, []);
    assert.deepEqual(readFileSync(file), after);
    assert.deepEqual(readdirSync(dir), ['hosts']);

    writeFileSync(`${base}.in-place.before`, before);
    writeFileSync(`${base}.in-place.after`, after);
    writeFileSync(`${base}.in-place.json`, JSON.stringify({ file, from: 20 }));
    writeFileSync(file, 'the user rewrote it\n');
    const changed = await finishInPlaceWrites(dir);
    assert.match(
      changed.failures[0],
      /has been changed since, so it was left as it is: the version before that write is in .*in-place\.before, the one it was becoming in .*in-place\.after\.$/,
    );
    assert.equal(readFileSync(file, 'utf8'), 'the user rewrote it\n');
    assert.deepEqual((await finishInPlaceWrites(dir)).failures, [], 'said once');
  });

  it('writes only from the first byte that changes, and leaves no record behind', async () => {
    const file = path.join(dir, 'hosts');
    writeFileSync(file, 'a\nb\nc\n');
    await writeInPlace(file, Buffer.from('a\nb\nc\n'), Buffer.from('a\nb\n'), path.join(dir, 'backup'));
    assert.equal(readFileSync(file, 'utf8'), 'a\nb\n');
    assert.deepEqual(readdirSync(dir), ['hosts']);
  });
});
