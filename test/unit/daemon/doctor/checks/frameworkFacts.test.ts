/**
 * What Django's word on the project's framework changes (issue 22): a forced
 * SITE_ID is no problem where the framework picks the site by Host itself
 * (django-tenants' `SITE_ID = 1`); a Wagtail site on a port of its own cannot
 * be reached through the proxy unless Django trusts the X-Forwarded-Port the
 * proxy sends; and where a framework keeps sites of its own, the Sites
 * table's row is no site of the tree.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { forcedSiteIdFindings } from '../../../../../daemon/doctor/checks/forcedSiteId';
import { sitePortFindings } from '../../../../../daemon/doctor/checks/sitePort';
import type { DjangoFacts } from '../../../../../daemon/sites/djangoFacts';
import { readSiteConfig } from '../../../../../daemon/sites/siteConfig';
import { djangoAnswer } from '../../../../support/djangoAnswer';
import { FIXTURES } from '../../../../support/demoProject';

const FORCED = path.join(FIXTURES, 'forced-site-id');

function facts(change: (f: DjangoFacts) => void): DjangoFacts {
  const answer = djangoAnswer([]);
  assert.ok(answer.ok);
  change(answer.facts);
  return answer.facts;
}

describe('the doctor and what Django says of the framework', () => {
  it('does not call SITE_ID forced where the framework picks the site by Host (django-tenants, Wagtail, DynamicSiteMiddleware)', async () => {
    const config = await readSiteConfig(FORCED);
    assert.ok(config.forcedSiteId, 'the fixture forces SITE_ID');
    assert.equal(forcedSiteIdFindings(config, FORCED, 'env', 'host').length, 1, 'without Django’s word, it is forced');
    const tenants = facts((f) => f.frameworks.push({ name: 'django-tenants', version: '3.5.0' }));
    const multisite = facts((f) => f.settings.middleware.push('multisite.middleware.DynamicSiteMiddleware'));
    for (const django of [tenants, multisite]) {
      assert.deepEqual(forcedSiteIdFindings(config, FORCED, 'env', 'host', django), []);
      assert.deepEqual(forcedSiteIdFindings(config, FORCED, 'hosts', 'restart', django), []);
    }
  });

  it('names each Wagtail site on a port of its own that Django cannot be told of', () => {
    const wagtail = facts((f) => {
      f.frameworks.push({ name: 'wagtail', version: '5.2.8' });
      f.settingsModule = 'bakery.settings.dev';
      f.sites.wagtail = [
        { id: 1, hostname: 'www.bakery.test', port: 80, siteName: 'Bakery', isDefault: true, rootTitle: 'Fresh' },
        { id: 2, hostname: 'www.bakery.test', port: 8081, siteName: 'Bakery Preview', isDefault: false, rootTitle: 'Preview' },
      ];
    });
    const [finding, ...rest] = sitePortFindings(wagtail, 'host');
    assert.deepEqual(rest, []);
    assert.equal(finding.severity, 'warning');
    assert.match(
      finding.message,
      /^Wagtail site Bakery Preview \(www\.bakery\.test:8081\) cannot be reached through the local proxy: .* USE_X_FORWARDED_PORT = True; set it in bakery\.settings\.dev for local development\.$/,
    );
    wagtail.settings.useXForwardedPort = true;
    assert.deepEqual(sitePortFindings(wagtail, 'host'), []);
    assert.deepEqual(sitePortFindings(null, 'host'), []);
  });
});

describe('the sites of a framework that keeps its own', () => {
  it('lists Wagtail’s or the tenants’ sites, not the Sites table row behind SITE_ID = 1', async () => {
    const answer = djangoAnswer([{ id: 1, domain: 'example.com', name: 'example.com' }], {
      tenants: [{ id: 1, schema: 'public', name: 'Shelfwise', domains: ['shelfwise.test'] }],
    });
    const config = await readSiteConfig(path.join(FIXTURES, 'no-sites'), { django: answer });
    assert.deepEqual(
      config.sites.map((s) => [s.slug, s.domains.live, s.sources]),
      [['public', 'shelfwise.test', ['tenant domains']]],
    );
    const plain = await readSiteConfig(path.join(FIXTURES, 'no-sites'), { django: djangoAnswer([{ id: 1, domain: 'example.com', name: 'example.com' }]) });
    assert.deepEqual(
      plain.sites.map((s) => s.domains.live),
      ['example.com'],
    );
  });
});
