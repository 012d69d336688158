/** multisite.json: what it may say, and its syntax and type errors reported on their lines. */
import * as assert from 'node:assert/strict';
import { readMultisiteJson } from '../../daemon/sites/multisiteJson';
import { useTempProjects } from '../support/tempProject';

describe('multisite.json', () => {
  const temp = useTempProjects('domains');

  it('reports multisite.json syntax and type errors with lines', async () => {
    const root = temp({ 'multisite.json': '{\n  "port": "eighty",\n  "runner": "local",\n  "sites": { "a": { "local": "one" } },\n}\n' });
    const file = await readMultisiteJson(root);
    assert.ok(file);
    assert.equal(file.runner, 'local');
    assert.deepEqual(file.problems, [
      { line: 2, message: '"port" in multisite.json must be a TCP port number (1-65535)' },
      { line: 4, message: '"local" of site "a" in multisite.json must be a list of domains' },
    ]);
    const broken = temp({ 'multisite.json': '{\n  "port": 80,\n  "sites" {}\n}\n' });
    assert.match((await readMultisiteJson(broken))?.problems[0].message ?? '', /not valid JSON/);
  });
});
