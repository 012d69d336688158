import * as assert from 'node:assert/strict';
import type { Site } from '../../daemon/protocol';
import { matchSite } from '../../daemon/siteMatch';

const site = (id: number, slug: string, name: string, live: string): Site => ({
  id,
  slug,
  name,
  domains: { live, test: `${slug}.divio.me`, local: [live] },
  aliases: [],
  autoPopulated: false,
  sources: [],
  fieldSources: {},
});
const sites = [site(1, 'alpha', 'Alpha News', 'alpha.example'), site(2, 'beta', 'Beta Shop', 'beta.example')];

describe('matchSite', () => {
  it('matches by slug, id, name and any domain, ignoring case', () => {
    for (const query of ['beta', '2', 'beta shop', 'BETA.example', 'beta.divio.me']) {
      assert.equal(matchSite(sites, query)?.id, 2, query);
    }
  });

  it('returns null for unknown or ambiguous queries', () => {
    assert.equal(matchSite(sites, 'gamma'), null);
    assert.equal(matchSite(sites, ''), null);
    assert.equal(matchSite([...sites, site(3, 'beta2', 'beta', 'b.example')], 'beta'), null);
  });
});
