/**
 * environmentBranch: a SITE_ID literal in a branch chosen by SITE_ID in the
 * environment (the `else` of `if os.environ.get("SITE_ID")`, the `except` of a
 * `try` reading it) is a default, found at any depth; a literal that runs
 * whatever the environment says (top level, a branch on another variable) is
 * not. The siteid-conditional fixture's settings are read as such, and its
 * SITE_ID is no forced SITE_ID.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { environmentBranch } from '../../../../daemon/sites/environmentBranch';
import { readSiteConfig } from '../../../../daemon/sites/siteConfig';
import { FIXTURES } from '../../../support/demoProject';

/** The 1-based line of the first line of `source` that contains `text`. */
const lineOf = (source: string, text: string): number => source.split('\n').findIndex((l) => l.includes(text)) + 1;

describe('environmentBranch', () => {
  it('finds the if/else on SITE_ID in the environment, in every usual spelling', () => {
    for (const read of ['os.environ.get("SITE_ID")', "os.getenv('SITE_ID')", '"SITE_ID" in os.environ', 'env("SITE_ID", default=None)', "environ['SITE_ID']"]) {
      const source = `import os\n\nDEBUG = True\nif ${read}:\n    SITE_ID = int(os.environ["SITE_ID"])\nelse:\n    SITE_ID = 1  # the first paper\n`;
      assert.equal(environmentBranch(source, lineOf(source, 'SITE_ID = 1')), 4, read);
    }
  });

  it('finds the branch whose own condition reads it, an elif chain, a try/except, and tabs', () => {
    const negated = 'if not os.environ.get("SITE_ID"):\n    SITE_ID = 1\n';
    assert.equal(environmentBranch(negated, 2), 1);
    const chain = 'import os\nif os.environ.get("SITE_ID"):\n    SITE_ID = int(os.environ["SITE_ID"])\nelif DEBUG:\n    SITE_ID = 2\nelse:\n    SITE_ID = 1\n';
    assert.equal(environmentBranch(chain, 5), 2);
    assert.equal(environmentBranch(chain, 7), 2);
    const attempt = 'try:\n    SITE_ID = int(os.environ["SITE_ID"])\nexcept KeyError:\n    # none set\n\n    SITE_ID = 1\n';
    assert.equal(environmentBranch(attempt, 6), 1);
    const tabs = 'if os.getenv("SITE_ID"):\n\tSITE_ID = int(os.getenv("SITE_ID"))\nelse:\n\tSITE_ID = 1\n';
    assert.equal(environmentBranch(tabs, 4), 1);
  });

  it('finds it around a nested block too', () => {
    const nested =
      'if os.environ.get("SITE_ID"):\n    SITE_ID = int(os.environ["SITE_ID"])\nelse:\n    if DEBUG:\n        SITE_ID = 1\n    else:\n        SITE_ID = 2\n';
    assert.equal(environmentBranch(nested, 5), 1);
    assert.equal(environmentBranch(nested, 7), 1);
  });

  it('finds nothing for a literal that runs whatever the environment says', () => {
    assert.equal(environmentBranch('SITE_ID = 1\n', 1), null, 'top level');
    const other = 'if os.environ.get("DJANGO_ENV") == "production":\n    SITE_ID = 2\nelse:\n    SITE_ID = 1\n';
    assert.equal(environmentBranch(other, 4), null, 'a branch on another variable forces a SITE_ID either way');
    const after = 'if os.environ.get("SITE_ID"):\n    SITE_ID = int(os.environ["SITE_ID"])\nSITE_ID = 1\n';
    assert.equal(environmentBranch(after, 3), null, 'after the if, at its level, it always runs');
    const commented = 'if DEBUG:  # os.environ.get("SITE_ID")\n    SITE_ID = 1\n';
    assert.equal(environmentBranch(commented, 2), null, 'a comment reads nothing');
    const inFunction = 'def site():\n    return 1\n\nSITE_ID = 1\n';
    assert.equal(environmentBranch(inFunction, 4), null);
  });

  it('reads the siteid-conditional fixture: its SITE_ID = 1 is the default, not forced', async () => {
    const root = path.join(FIXTURES, 'siteid-conditional');
    const config = await readSiteConfig(root);
    assert.equal(config.forcedSiteId, null);
    assert.deepEqual(config.servingFacts.siteIdDefault, { value: 1, file: path.join(root, 'gazette', 'settings.py'), line: 20, branchLine: 17 });
  });
});
