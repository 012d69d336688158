/**
 * The hosts entries of two daemons (two homes) on one real file: random
 * sequences of apply / remove / recover (exit) / cleanup over three projects.
 * After every step each daemon's blocks are exactly what it applied and not
 * removed; whenever no block is left the file is its original bytes; a
 * missing file is never created; a daemon's recovery never touches the other's.
 */
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { blockId, listBlocks } from '../../../../daemon/hosts/hostsBlock';
import { HostsEntries } from '../../../../daemon/hosts/hostsEntries';
import { tempFolder } from '../../../support/tempProject';

const ROOTS = ['/srv/alpha', '/srv/beta', '/home/dev/gamma'];
const NAMES = ['alpha.example', 'beta.example', 'www.beta.example'];

type Step =
  | { op: 'apply'; home: number; root: number; names: string[] }
  | { op: 'remove'; home: number; root: number }
  | { op: 'recover'; home: number }
  | { op: 'cleanup'; home: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('apply' as const), home: fc.nat(1), root: fc.nat(2), names: fc.subarray(NAMES, { minLength: 1 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('remove' as const), home: fc.nat(1), root: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('recover' as const), home: fc.nat(1) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('cleanup' as const), home: fc.nat(1) }) },
);

const original = fc.oneof(
  fc.constant(null), // no file at all: apply is refused and nothing is created
  fc
    .uint8Array({ maxLength: 64 })
    .map((bytes) => Buffer.from(bytes))
    // A UTF-16 byte order mark makes the file one the resolver cannot read: refused, not edited (hostsFile.test.ts).
    .filter((bytes) => !((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))),
  fc.constantFrom(Buffer.from('127.0.0.1 localhost\r\n# caf\xe9', 'latin1'), Buffer.from('\xef\xbb\xbf::1 localhost\n\x00', 'latin1')),
);

describe('hosts entries of two daemons on one real file (property)', () => {
  let dir: string;
  beforeEach(() => (dir = tempFolder('entries')));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps each daemon to its own blocks and gives back the original bytes', async function () {
    this.timeout(120_000);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(original, fc.array(step, { minLength: 1, maxLength: 10 }), async (bytes, steps) => {
        const base = path.join(dir, String(run++));
        const homes = [path.join(base, 'home-a'), path.join(base, 'home-b')];
        for (const home of homes) mkdirSync(home, { recursive: true });
        const file = path.join(base, 'hosts');
        if (bytes) writeFileSync(file, bytes);
        const daemons = homes.map((home) => new HostsEntries(home));
        const model = new Map<string, string[]>();
        const id = (home: number, root: number): string => blockId(homes[home], ROOTS[root]);
        for (const s of steps) {
          if (s.op === 'apply' && bytes === null) {
            await assert.rejects(daemons[s.home].apply(file, ROOTS[s.root], s.names), /does not exist, so nothing was written/);
          } else if (s.op === 'apply') {
            await daemons[s.home].apply(file, ROOTS[s.root], s.names);
            model.set(id(s.home, s.root), s.names);
          } else if (s.op === 'remove') {
            await daemons[s.home].remove(file, ROOTS[s.root]);
            model.delete(id(s.home, s.root));
          } else if (s.op === 'recover') {
            assert.deepEqual((await daemons[s.home].recover()).failures, []);
            for (const root of ROOTS.keys()) model.delete(id(s.home, root));
          } else {
            assert.deepEqual((await daemons[s.home].cleanup([file])).failures, []);
            model.clear();
          }
          const now = existsSync(file) ? readFileSync(file) : null;
          const found = new Map(listBlocks(now?.toString('latin1') ?? '').map((b) => [b.id, b.names]));
          assert.deepEqual(found, model, `after ${JSON.stringify(s)}`);
          if (model.size === 0) assert.deepEqual(now, bytes, `no block left after ${JSON.stringify(s)}: the original bytes`);
        }
      }),
      { numRuns: 80 },
    );
  });
});
