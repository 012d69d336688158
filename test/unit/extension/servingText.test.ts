/** How a project is served, as the tree's tooltips and the status bar say it: each mode and each proxy routing. */
import * as assert from 'node:assert/strict';
import type { ProjectState, Site } from '../../../protocol/protocol';
import { routingPhrase } from '../../../extension/servingText';

const beta = { slug: 'beta', id: 2 } as Site;

function state(fields: Partial<ProjectState>): ProjectState {
  return { mode: 'env', strategy: 'siteId', routingReason: 'the reason', currentSite: beta, hostsFile: null, ...fields } as ProjectState;
}

describe('how a project is served, in words', () => {
  it('says how the local proxy reaches the sites under each routing, and why', () => {
    assert.equal(
      routingPhrase(state({ strategy: 'siteIdPerRequest' })),
      "the local proxy forwards every site to one server, each request served with its site's SITE_ID (the reason)",
    );
    assert.equal(routingPhrase(state({ strategy: 'siteId' })), 'the local proxy forwards to a warm server per site, each with its SITE_ID (the reason)');
    assert.equal(routingPhrase(state({ strategy: 'host' })), "the local proxy sets Host to each site's domain (the reason)");
  });

  it('says what picks the site without the proxy: the restarted server’s SITE_ID, or the domain in hosts mode', () => {
    assert.equal(routingPhrase(state({ strategy: 'restart' })), 'SITE_ID=2, one server restarted per switch');
    assert.equal(
      routingPhrase(state({ mode: 'hosts', strategy: 'restart', hostsFile: '/etc/hosts' })),
      "the request's domain picks the site (entries in /etc/hosts)",
    );
  });
});
