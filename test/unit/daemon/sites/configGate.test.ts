/**
 * The config gate (issue 14): a project whose config has an error is not
 * served, and gets no hosts entries while a configured domain is no domain;
 * each refusal is one sentence naming the first problem and where to fix it.
 * On real temp projects read by readSiteConfig.
 */
import * as assert from 'node:assert/strict';
import { DaemonErrorCode } from '../../../../protocol/protocol';
import { hostsReadyConfig, servableConfig } from '../../../../daemon/sites/configGate';
import { djangoAnswer } from '../../../support/djangoAnswer';
import { readSiteConfig } from '../../../../daemon/sites/siteConfig';
import { useTempProjects } from '../../../support/tempProject';

const MANAGE = 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n';
const SITES = 'DJANGO_MULTISITE_PLUS_SITES = {\n    "a": {"id": 1, "real_domain": "a.example"},\n    "b": {"id": 2, "real_domain": "b.example"},\n}\n';

/** The refusal `gate` throws, as [code, message]. */
function refusal(gate: () => unknown): [number, string] {
  try {
    gate();
  } catch (error) {
    const e = error as { code: number; message: string };
    return [e.code, e.message];
  }
  assert.fail('not refused');
}

describe('config gate', () => {
  const temp = useTempProjects('gate', 'each');
  const read = (files: Record<string, string>) => readSiteConfig(temp({ 'manage.py': MANAGE, ...files }));

  it('lets a project without errors be served and get its hosts entries', async () => {
    const config = await read({ 'proj/settings.py': SITES });
    assert.equal(servableConfig(config), config);
    assert.equal(hostsReadyConfig(config), config);
  });

  it('refuses to serve settings Python refuses, naming the file and line', async () => {
    const config = await read({ 'proj/settings.py': SITES.replace('"a.example"}', '"a.example"},,') });
    const [code, message] = refusal(() => servableConfig(config));
    assert.equal(code, DaemonErrorCode.ConfigInvalid);
    assert.match(
      message,
      /^msl-gate-\w+ cannot be served until proj\/settings\.py:2 is fixed: proj\/settings\.py is not valid Python \(invalid syntax: "," where a value should be\), so no setting in it was read\.$/,
    );
    assert.match(refusal(() => hostsReadyConfig(config))[1], /^msl-gate-\w+ gets no hosts entries until proj\/settings\.py:2 is fixed: /);
  });

  it('refuses two sites with one id, and JSON that does not parse', async () => {
    const twice = await read({ 'proj/settings.py': SITES.replace('"id": 2', '"id": 1') });
    assert.match(
      refusal(() => servableConfig(twice))[1],
      /until proj\/settings\.py:3 is fixed: Sites "a" \(proj\/settings\.py:2\) and "b" \(proj\/settings\.py:3\) both have id 1\.$/,
    );
    const json = await read({ 'proj/settings.py': '', '.env-local': 'DJANGO_MULTISITE_PLUS_SITES={"a": {"id": 1,}}\n' });
    assert.match(refusal(() => servableConfig(json))[1], /until \.env-local:1 is fixed: DJANGO_MULTISITE_PLUS_SITES in \.env-local:1 is not valid JSON: /);
  });

  it('serves a project with a domain that is no domain, but writes no hosts entry for it', async () => {
    const config = await read({ 'proj/settings.py': SITES.replace('"a.example"', '"a.example;touch x"') });
    assert.equal(servableConfig(config), config);
    const [code, message] = refusal(() => hostsReadyConfig(config));
    assert.equal(code, DaemonErrorCode.ConfigInvalid);
    assert.match(
      message,
      /^msl-gate-\w+ gets no hosts entries until proj\/settings\.py:2 is fixed: Domain "a\.example;touch x" of site "a" \(proj\/settings\.py:2\) cannot be used: it contains ";", which a domain cannot hold\.$/,
    );
  });

  it('says "its config" for a problem in no file (a Sites table row)', async () => {
    const root = temp({ 'manage.py': MANAGE, 'proj/settings.py': SITES });
    const config = await readSiteConfig(root, { django: djangoAnswer([{ id: 1, domain: '$(touch x)', name: 'A' }]) });
    assert.deepEqual(
      config.diagnostics.map((d) => [d.severity, d.code, d.file]),
      [['warning', 'invalid-domain', null]],
      'reported once, and not compared with the settings as a disagreement',
    );
    assert.match(
      refusal(() => hostsReadyConfig(config))[1],
      /gets no hosts entries until its config is fixed: Domain "\$\(touch x\)" of site "a" \(Sites table\)/,
    );
  });
});
