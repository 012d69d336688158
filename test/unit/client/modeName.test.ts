/** One name per mode (issue 23), and what a site's id is per framework (issue 22). */
import * as assert from 'node:assert/strict';
import { modeName, requestedModeName } from '../../../client/modeName';
import type { Site } from '../../../protocol/protocol';
import { siteIdName } from '../../../protocol/siteLabel';

describe('mode names', () => {
  it('names env mode by how it serves, and hosts mode whatever the strategy', () => {
    assert.equal(modeName({ mode: 'env', strategy: 'siteId' }), 'every site at once');
    assert.equal(modeName({ mode: 'env', strategy: 'host' }), 'every site at once');
    assert.equal(modeName({ mode: 'env', strategy: 'restart' }), 'SITE_ID mode');
    assert.equal(modeName({ mode: 'hosts', strategy: 'restart' }), 'hosts mode');
  });

  it('names a mode asked for by the project’s current strategy, every site at once when unknown', () => {
    assert.equal(requestedModeName('env', null), 'every site at once');
    assert.equal(requestedModeName('env', { strategy: 'restart' }), 'SITE_ID mode');
    assert.equal(requestedModeName('hosts', { strategy: 'siteId' }), 'hosts mode');
  });
});

describe('what a site’s id is', () => {
  const site = (idSource: string | undefined): Site => ({
    id: 2,
    slug: 'bakery',
    name: null,
    domains: { live: null, test: null, local: [] },
    aliases: [],
    autoPopulated: false,
    sources: [],
    fieldSources: idSource ? { id: idSource } : {},
    localhostUrl: null,
    portUrl: null,
  });

  it('is a SITE_ID only where SITE_ID picks the site', () => {
    assert.equal(siteIdName(site('Sites table')), 'SITE_ID');
    assert.equal(siteIdName(site('demo/settings.py:12')), 'SITE_ID');
    assert.equal(siteIdName(site(undefined)), 'SITE_ID');
    assert.equal(siteIdName(site('Wagtail Sites')), 'Wagtail Site id');
    assert.equal(siteIdName(site('tenant domains')), 'tenant id');
  });
});
