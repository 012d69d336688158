/** The current site's variables for a new terminal: SITE_ID only where it picks the site. */
import * as assert from 'node:assert/strict';
import type { ProjectState, Site } from '../../../../protocol/protocol';
import { siteVariables } from '../../../../extension/debug/siteVariables';

const beta = { slug: 'beta', id: 2, localhostUrl: 'http://beta.demo.localhost:8000/' } as Site;

function state(fields: Partial<ProjectState>): ProjectState {
  return { mode: 'env', strategy: 'siteId', currentSite: beta, siteUrl: 'http://127.0.0.1:8000/', ...fields } as ProjectState;
}

describe('a terminal’s site variables', () => {
  it('name the current site, where it answers, and its SITE_ID where SITE_ID picks it', () => {
    assert.deepEqual(siteVariables(state({})), { MULTISITE_LOCAL_SITE: 'beta', MULTISITE_LOCAL_URL: 'http://127.0.0.1:8000/', SITE_ID: '2' });
    assert.equal(siteVariables(state({ strategy: 'restart' })).SITE_ID, '2');
    assert.equal(siteVariables(state({ strategy: 'siteIdPerRequest' })).SITE_ID, '2');
  });

  it('leave SITE_ID out in hosts mode and under Host routing, where a forced one breaks the routing', () => {
    assert.equal(siteVariables(state({ mode: 'hosts', strategy: 'restart' })).SITE_ID, undefined);
    assert.equal(siteVariables(state({ strategy: 'host' })).SITE_ID, undefined);
    assert.equal(siteVariables(state({ strategy: 'host' })).MULTISITE_LOCAL_SITE, 'beta');
  });

  it('are none while no site is current, and use the site’s own address while it is not served', () => {
    assert.deepEqual(siteVariables(null), {});
    assert.deepEqual(siteVariables(state({ currentSite: null })), {});
    assert.equal(siteVariables(state({ siteUrl: null })).MULTISITE_LOCAL_URL, 'http://beta.demo.localhost:8000/');
  });
});
