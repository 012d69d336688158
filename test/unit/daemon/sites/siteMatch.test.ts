import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Site } from '../../../../protocol/protocol';
import type { SitesResult } from '../../../../protocol/protocol';
import { describeTie, findSite, foundAgain, matchSite } from '../../../../daemon/sites/siteMatch';

const site = (id: number | null, slug: string, name: string | null, live: string): Site => ({
  id,
  slug,
  name,
  domains: { live, test: `${slug}.divio.me`, local: [live] },
  aliases: [],
  autoPopulated: false,
  localhostUrl: null,
  portUrl: null,
  sources: [],
  fieldSources: {},
});
const sites = [site(1, 'alpha', 'Alpha News', 'alpha.example'), site(2, 'beta', 'Beta Shop', 'beta.example')];
const found = (list: readonly Site[], query: string): number | null | undefined => {
  const match = matchSite(list, query);
  return match && 'site' in match ? match.site.id : undefined;
};

describe('matchSite', () => {
  it('matches by slug, id, name and any domain, ignoring case when nothing matches exactly', () => {
    for (const query of ['beta', '2', 'beta shop', 'BETA.example', 'beta.divio.me', ' Beta Shop ']) {
      assert.equal(found(sites, query), 2, query);
    }
  });

  it('returns null for an unknown or empty word', () => {
    assert.equal(matchSite(sites, 'gamma'), null);
    assert.equal(matchSite(sites, ''), null);
    assert.equal(matchSite(sites, '   '), null);
  });

  it('lets an exact slug win over another site with that name in another case', () => {
    const shop = [site(3, 'shop', 'Main Shop', 'shop.example'), site(7, 'store', 'Shop', 'store.example')];
    assert.equal(found(shop, 'shop'), 3);
    assert.equal(found(shop, 'Shop'), 7);
    assert.equal(found(shop, '3'), 3);
    assert.equal(found(shop, '7'), 7);
  });

  it('lets an exact slug win over a duplicate id, and calls the duplicate id a tie', () => {
    const dup = [site(3, 'shop', 'Shop', 'shop.example'), site(3, 'outlet', 'Outlet', 'outlet.example')];
    assert.equal(found(dup, 'shop'), 3);
    assert.equal((matchSite(dup, 'outlet') as { site: Site }).site.slug, 'outlet');
    const tie = matchSite(dup, '3');
    assert.ok(tie && 'tie' in tie);
    assert.deepEqual(
      tie.tie.map((s) => s.slug),
      ['shop', 'outlet'],
    );
    assert.equal(describeTie('3', tie.tie), '"3" matches 2 sites: shop (id 3, Shop) and outlet (id 3, Outlet); use the slug or id.');
  });

  it('is a tie only at the first level that matches', () => {
    const two = [site(1, 'one', 'Shop', 'one.example'), site(2, 'two', 'shop', 'two.example')];
    assert.equal(found(two, 'Shop'), 1); // exact name
    assert.equal(found(two, 'shop'), 2); // exact name, other case
    const tie = matchSite(two, 'SHOP');
    assert.ok(tie && 'tie' in tie && tie.tie.length === 2);
  });

  // Properties over generated projects: slugs are unique (the config guarantees it), the rest may collide.
  const word = fc.stringMatching(/^[A-Za-z0-9.-]{1,6}$/);
  const project = fc.uniqueArray(fc.record({ id: fc.option(fc.integer({ min: 1, max: 5 })), slug: word, name: fc.option(word), live: word }), {
    selector: (s) => s.slug,
    minLength: 1,
    maxLength: 6,
  });
  const build = (rows: { id: number | null; slug: string; name: string | null; live: string }[]): Site[] => rows.map((r) => site(r.id, r.slug, r.name, r.live));

  it('always finds a site by its own slug, whatever the other sites are called', () => {
    fc.assert(
      fc.property(project, fc.nat(), (rows, pick) => {
        const list = build(rows);
        const target = list[pick % list.length];
        const match = matchSite(list, target.slug);
        assert.ok(match && 'site' in match && match.site === target);
      }),
    );
  });

  it('only returns a site that the word names (in some case), and only ties sites that all match it', () => {
    fc.assert(
      fc.property(project, word, (rows, query) => {
        const list = build(rows);
        const match = matchSite(list, query);
        const names = (s: Site): string[] => [s.slug, String(s.id), s.name ?? '', s.domains.live ?? '', s.domains.test ?? ''].map((n) => n.toLowerCase());
        const matching = list.filter((s) => names(s).includes(query.toLowerCase()));
        if (matching.length === 0) assert.equal(match, null);
        else if (matching.length === 1) assert.ok(match && 'site' in match && match.site === matching[0]);
        else assert.ok(match !== null && ('site' in match ? matching.includes(match.site) : match.tie.every((s) => matching.includes(s))));
      }),
    );
  });
});

describe('foundAgain', () => {
  it('finds a chosen site in a new read by its slug, with what that read says of it', () => {
    const reread = [site(1, 'alpha', 'Alpha', 'alpha.example'), site(2, 'beta', 'Beta Renamed', 'beta.example')];
    assert.equal(foundAgain(reread, sites[1]), reread[1]);
  });

  it('keeps the site as it was when the new read no longer has it, and keeps none as none', () => {
    assert.equal(foundAgain([sites[0]], sites[1]), sites[1]);
    assert.equal(foundAgain(sites, null), null);
  });
});

describe('findSite', () => {
  const config = (list: Site[]): SitesResult => ({
    project: { root: '/p/proj', name: 'proj' },
    settings: { module: null, from: null, file: null, others: [] },
    sites: list,
    diagnostics: [],
    forcedSiteId: null,
    options: { port: null, runner: null, sharedDatabase: [], warmSites: null, sitePorts: null, routing: null },
    sitesTableRead: false,
    sitesSought: ['DJANGO_MULTISITE_PLUS_SITES in the settings and env files', 'multisite.json', 'Wagtail’s Sites'],
    searched: { settingsModule: 'demo.settings', interpreter: null, frameworks: ['wagtail 5.2'], djangoNotRead: null },
  });
  const message = (list: Site[], query: string): string => {
    try {
      findSite(config(list), query);
    } catch (error) {
      return (error as Error).message;
    }
    return assert.fail('found');
  };

  it('answers a word that names no site in one sentence, the word quoted on one line (issue 14)', () => {
    assert.equal(message(sites, 'gamma'), 'No site "gamma" in proj; its sites are alpha (1) and beta (2).');
    assert.equal(message(sites, 'a\nb $(touch x)'), 'No site "a\\nb $(touch x)" in proj; its sites are alpha (1) and beta (2).');
    assert.equal(
      message([], 'x'),
      'No site "x" in proj; no site was found in DJANGO_MULTISITE_PLUS_SITES in the settings and env files, multisite.json, Wagtail’s Sites.',
    );
  });

  it('names a few of 5,000 sites, not all of them (issue 14)', () => {
    const many = Array.from({ length: 5000 }, (_, i) => site(i + 1, `s${i + 1}`, null, `s${i + 1}.example`));
    assert.equal(message(many, 'nosuch'), 'No site "nosuch" in proj; its sites are s1 (1), s2 (2), s3 (3) and 4997 more.');
  });
});
