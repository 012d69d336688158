/**
 * Reading the Sites table's output: a table of thousands of Unicode domains
 * comes in many chunks, and a character split between two of them stays whole
 * (the first is cut inside one on purpose).
 * `manage.py` here is a few lines of real Python printing what `dumpdata`
 * prints, so the read's process handling and decoding are what is tested.
 */
import * as assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { readSitesTable } from '../../daemon/sites/sitesTable';
import { tempFolder } from '../support/tempProject';
import { projectCodeIn } from '../support/projectCode';

const SITES = 5000;

describe('reading the Sites table', () => {
  let root: string;
  before(() => {
    root = tempFolder('sites-table');
    writeFileSync(
      path.join(root, 'manage.py'),
      [
        'import json, sys, time',
        `rows = [{"model": "sites.site", "pk": i, "fields": {"domain": f"bücher-{i}.пример.example", "name": f"Bücher {i}"}} for i in range(1, ${SITES + 1})]`,
        'out = json.dumps(rows, ensure_ascii=False).encode("utf-8")',
        // Cut inside a character, with a pause between the parts: they arrive as two chunks.
        'cut = out.index("ü".encode()) + 1',
        'sys.stdout.buffer.write(out[:cut]); sys.stdout.flush(); time.sleep(0.05); sys.stdout.buffer.write(out[cut:])',
      ].join('\n'),
    );
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it(`keeps every character of ${SITES.toLocaleString('en-US')} Unicode domains that arrive in many chunks`, async () => {
    const read = await readSitesTable(projectCodeIn(root), root, '/usr/bin/python3');
    assert.ok(read.ok, read.ok ? '' : read.reason);
    assert.equal(read.sites.length, SITES);
    for (const [i, site] of read.sites.entries()) {
      assert.equal(site.domain, `bücher-${i + 1}.пример.example`);
      assert.equal(site.name, `Bücher ${i + 1}`);
    }
  });
});
