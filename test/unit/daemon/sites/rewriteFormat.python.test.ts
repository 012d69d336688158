/** Differential test: our rewrite format against real Python `str.format`. */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { applyRewriteFormat } from '../../../../daemon/sites/rewriteFormat';

const PIECES = ['{}', '{0}', '{1}', '{name}', '{{', '}}', '{', '}', 'a', '.', '-', 'divio.me', 'ü'];
const PYTHON = `
import json, sys
out = []
for fmt, slug in json.load(sys.stdin):
    try:
        out.append(fmt.format(slug))
    except (IndexError, KeyError, ValueError):
        out.append(None)
print(json.dumps(out))
`;

describe('rewriteFormat against Python str.format', () => {
  it('agrees on what is filled and what is rejected', function () {
    this.timeout(30_000);
    const cases = fc.sample(
      fc.tuple(
        fc.array(fc.constantFrom(...PIECES), { maxLength: 6 }).map((p) => p.join('')),
        fc.stringMatching(/^[a-z0-9-]{1,12}$/),
      ),
      { numRuns: 2000, seed: 42 },
    );
    const python = JSON.parse(execFileSync('python3', ['-c', PYTHON], { input: JSON.stringify(cases), encoding: 'utf8' })) as (string | null)[];
    cases.forEach(([format, slug], i) => {
      let ours: string | null;
      try {
        ours = applyRewriteFormat(format, slug);
      } catch {
        ours = null;
      }
      assert.equal(ours, python[i], `format ${JSON.stringify(format)} with slug ${JSON.stringify(slug)}`);
    });
  });
});
