/** The CLI's --routing: the three routings or auto, and one sentence naming them all for anything else. */
import * as assert from 'node:assert/strict';
import { routingOption } from '../../../cli/envOptions';

describe('the CLI flag --routing', () => {
  it('takes each routing by its name, auto as the project default, and leaves the choice alone when not given', () => {
    assert.equal(routingOption(undefined), undefined);
    assert.equal(routingOption('auto'), null);
    for (const routing of ['siteIdPerRequest', 'siteId', 'host']) assert.equal(routingOption(routing), routing);
  });

  it('says in one sentence what else it may be, the bad value quoted on one line', () => {
    for (const [bad, shown] of [
      ['siteid', '"siteid"'],
      ['', '""'],
      ['Host', '"Host"'],
      ['host\nx', '"host\\nx"'],
    ])
      assert.throws(() => routingOption(bad), {
        name: 'Error',
        message:
          "--routing must be siteIdPerRequest (one server, each request with its site's SITE_ID), siteId (one server per site), " +
          `host (one server, the proxy sets Host) or auto (the project's default), not ${shown}.`,
      });
  });
});
