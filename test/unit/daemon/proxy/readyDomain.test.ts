/**
 * Which domain a server that picks sites by Host is probed with while it
 * starts: the current site's, else the first site's that has a valid domain, in ASCII.
 */
import * as assert from 'node:assert/strict';
import type { Site } from '../../../../protocol/protocol';
import { readyDomain } from '../../../../daemon/proxy/siteAddresses';
import { siteRecord } from '../../../support/siteRecord';

const site = (slug: string, local: string[], live: string | null = null): Site => siteRecord(slug, { domains: { live, test: null, local } });

describe('readyDomain', () => {
  const bare = site('bare', []);
  const shop = site('shop', ['shop.local', 'www.shop.local'], 'shop.example');
  const blog = site('blog', [], 'blog.example');

  it('names the current site by its local domain first, as hosts mode points it here', () => {
    assert.equal(readyDomain(shop, [blog, shop]), 'shop.local');
    assert.equal(readyDomain(blog, [shop, blog]), 'blog.example');
  });

  it('falls back to the first site with a domain when there is no current one, or it has none', () => {
    assert.equal(readyDomain(null, [bare, blog, shop]), 'blog.example');
    assert.equal(readyDomain(bare, [bare, shop]), 'shop.local');
    assert.equal(readyDomain(null, [bare]), null);
    assert.equal(readyDomain(null, []), null);
  });

  it('sends a domain in ASCII as a browser does, skipping one Node could not send in a header', () => {
    assert.equal(readyDomain(site('b', [], 'bücher.example'), []), 'xn--bcher-kva.example');
    assert.equal(readyDomain(site('x', [], 'bad\r\nname.example'), [site('中', [], '例子.example'), blog]), 'xn--fsqu00a.example');
    assert.equal(readyDomain(site('x', [], 'bad domain.example'), [blog]), 'blog.example');
  });
});
