/** multisite.json: what it may say, and its syntax and type errors reported on their lines. */
import * as assert from 'node:assert/strict';
import { readMultisiteJson } from '../../../../daemon/sites/multisiteJson';
import { useTempProjects } from '../../../support/tempProject';

describe('multisite.json', () => {
  const temp = useTempProjects('domains');

  it('reports multisite.json syntax and type errors with lines', async () => {
    const root = temp({ 'multisite.json': '{\n  "port": "eighty",\n  "runner": "local",\n  "sites": { "a": { "local": "one" } },\n}\n' });
    const file = await readMultisiteJson(root);
    assert.ok(file);
    assert.equal(file.runner, 'local');
    assert.deepEqual(file.problems, [
      { line: 2, message: '"port" in multisite.json must be a TCP port number (1-65535)', severity: 'error' },
      { line: 4, message: '"local" of site "a" in multisite.json must be a list of domains', severity: 'error' },
    ]);
  });

  it("reads sitePorts as the first of the sites' own ports or false, and says on its line what else it may be", async () => {
    assert.equal((await readMultisiteJson(temp({ 'multisite.json': '{ "sitePorts": 9100 }' })))?.sitePorts, 9100);
    assert.equal((await readMultisiteJson(temp({ 'multisite.json': '{ "sitePorts": false }' })))?.sitePorts, false);
    for (const bad of ['true', '0', '70000', '"9100"', '9100.5']) {
      const file = await readMultisiteJson(temp({ 'multisite.json': `{\n  "sitePorts": ${bad}\n}` }));
      assert.equal(file?.sitePorts, null, bad);
      assert.deepEqual(file.problems, [
        { line: 2, message: `"sitePorts" in multisite.json must be the first port of the sites' own ports (1-65535), or false for none`, severity: 'error' },
      ]);
    }
  });

  it('reads each of the three routings, and says on its line what each means when it is none of them', async () => {
    for (const routing of ['siteIdPerRequest', 'siteId', 'host']) {
      assert.equal((await readMultisiteJson(temp({ 'multisite.json': `{ "routing": "${routing}" }` })))?.routing, routing);
    }
    for (const bad of ['"auto"', '"siteid"', 'null', 'true', '["host"]']) {
      const file = await readMultisiteJson(temp({ 'multisite.json': `{\n  "routing": ${bad}\n}` }));
      assert.equal(file?.routing, null, bad);
      assert.deepEqual(file.problems, [
        {
          line: 2,
          message:
            '"routing" in multisite.json must be "siteIdPerRequest" (one server, each request with its site\'s SITE_ID), "siteId" (one server per site) or "host" (one server, the proxy sets Host)',
          severity: 'error',
        },
      ]);
    }
  });

  it('reports the first syntax error only, as an error: nothing after it is read (issue 14)', async () => {
    const broken = temp({ 'multisite.json': '{\n  "port": 80,\n  "sites" {},,\n  "runner": "compose"\n}\n' });
    const file = await readMultisiteJson(broken);
    assert.deepEqual(file?.problems, [{ line: 3, message: 'multisite.json is not valid JSON (ColonExpected)', severity: 'error' }]);
    assert.deepEqual([file.port, file.runner], [null, null]);
  });

  it('warns of an unknown key, quoted on one line whatever it holds', async () => {
    const root = temp({ 'multisite.json': '{\n  "prot": 80,\n  "a\\nb": 1\n}\n' });
    assert.deepEqual((await readMultisiteJson(root))?.problems, [
      { line: 2, message: 'unknown key "prot" in multisite.json', severity: 'warning' },
      { line: 3, message: 'unknown key "a\\nb" in multisite.json', severity: 'warning' },
    ]);
  });

  it('reports a problem in each of 5,000 sites on its own line (issue 14)', async () => {
    const sites = Array.from({ length: 5000 }, (_, i) => `    "s${i}": {"local": ["s${i}.example"], "test": 7}`);
    const root = temp({ 'multisite.json': `{\n  "sites": {\n${sites.join(',\n')}\n  }\n}\n` });
    const problems = (await readMultisiteJson(root))?.problems ?? [];
    assert.equal(problems.length, 5000);
    assert.deepEqual(problems[4999], { line: 5002, message: '"test" of site "s4999" in multisite.json must be a domain', severity: 'error' });
  });
});
