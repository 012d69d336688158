/** How a project is served (issue 27): one server for every SITE_ID by default, a server per site when its self-check refused it or when chosen. */
import * as assert from 'node:assert/strict';
import { chooseStrategy } from '../../../../daemon/serving/servingStrategy';
import type { StrategyInput } from '../../../../daemon/serving/servingStrategy';

const bySiteId: StrategyInput = {
  hostsMode: false,
  warmSites: 3,
  routing: null,
  chosenRouting: null,
  perRequestRefused: null,
  runner: 'local',
  readsSiteIdFromEnvironment: true,
  hostPicks: null,
  processPicks: null,
};

describe('chooseStrategy', () => {
  it('serves settings that read SITE_ID from the environment from one server for every site', () => {
    assert.deepEqual(chooseStrategy(bySiteId), { strategy: 'siteIdPerRequest', reason: 'the settings read SITE_ID from the environment' });
  });

  it("serves django-multisite-plus's multi-process mode so too, even with its Host middleware named", () => {
    const choice = chooseStrategy({ ...bySiteId, processPicks: 'multi-process', hostPicks: 'DynamicSiteMiddleware' });
    assert.deepEqual(choice, { strategy: 'siteIdPerRequest', reason: 'multi-process' });
  });

  it('falls back to a server per site with the self-check’s reason, whether chosen or by default', () => {
    const refused = { ...bySiteId, perRequestRefused: 'app/views.py:3 reads the site' };
    assert.deepEqual(chooseStrategy(refused), { strategy: 'siteId', reason: 'one server for every site failed its self-check: app/views.py:3 reads the site' });
    assert.equal(chooseStrategy({ ...refused, routing: 'siteIdPerRequest' }).strategy, 'siteId');
    assert.equal(chooseStrategy({ ...refused, routing: 'host' }).strategy, 'host', 'a refusal says nothing of Host routing');
  });

  it('multisite.json wins over the person’s choice, which wins over the default', () => {
    assert.deepEqual(chooseStrategy({ ...bySiteId, chosenRouting: 'siteId' }), { strategy: 'siteId', reason: 'the routing setting is "siteId"' });
    assert.deepEqual(chooseStrategy({ ...bySiteId, chosenRouting: 'siteId', routing: 'host' }), {
      strategy: 'host',
      reason: 'multisite.json says "routing": "host"',
    });
  });

  it('keeps hosts mode, warmSites 0 and compose as they were', () => {
    assert.equal(chooseStrategy({ ...bySiteId, hostsMode: true }).strategy, 'restart');
    assert.equal(chooseStrategy({ ...bySiteId, warmSites: 0 }).strategy, 'restart');
    assert.equal(chooseStrategy({ ...bySiteId, runner: 'compose', chosenRouting: 'siteIdPerRequest' }).strategy, 'host');
    assert.equal(chooseStrategy({ ...bySiteId, readsSiteIdFromEnvironment: false }).strategy, 'host');
    assert.equal(chooseStrategy({ ...bySiteId, hostPicks: 'Wagtail' }).strategy, 'host');
  });
});
