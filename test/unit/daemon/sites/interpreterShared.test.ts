/**
 * A cost of the project's code taken off a server's start (issue 22's first
 * switch): the search for the project's interpreter, which probes candidates
 * with project code, is shared by callers at the same time (a server's start
 * and Django's read both asked, and both probed). Real Python, real processes.
 */
import * as assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ProjectSites } from '../../../../daemon/sites/projectSites';
import { projectCodeIn } from '../../../support/projectCode';
import { tempFolder } from '../../../support/tempProject';

describe('the interpreter search a start waits on', function () {
  this.timeout(30_000);
  let root: string;
  beforeEach(() => (root = tempFolder('shared-probe')));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('probes the interpreter once for callers at the same time', async () => {
    // A venv python that counts its runs with `-c` (the probe) and is /usr/bin/python3 otherwise.
    const counter = path.join(root, 'probes.txt');
    mkdirSync(path.join(root, '.venv', 'bin'), { recursive: true });
    const python = path.join(root, '.venv', 'bin', 'python');
    writeFileSync(python, `#!/bin/sh\n[ "$1" = "-c" ] && echo probe >> ${JSON.stringify(counter)}\nexec /usr/bin/python3 "$@"\n`);
    chmodSync(python, 0o755);
    writeFileSync(path.join(root, 'manage.py'), '');
    const sites = new ProjectSites(root, { changed: () => undefined, log: () => undefined }, projectCodeIn(root));
    try {
      const [a, b, c] = await Promise.all([sites.interpreter(), sites.interpreter(), sites.interpreter()]);
      assert.equal(a.path, python);
      assert.ok(a === b && b === c, 'one answer for all');
      // The gate runs as `-S -c …` (not counted), then execs the probe's own `-c`: one line a probe.
      assert.equal(readFileSync(counter, 'utf8').trim().split('\n').length, 1);
    } finally {
      await sites.close();
    }
  });
});
