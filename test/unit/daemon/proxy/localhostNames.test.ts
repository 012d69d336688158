import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { dnsLabel, localhostNames, localhostUrl } from '../../../../daemon/proxy/localhostNames';

describe('localhostNames', () => {
  it('spells slugs and folders as DNS labels', () => {
    assert.equal(dnsLabel('Alpha_News', 'site'), 'alpha-news');
    assert.equal(dnsLabel('my project', 'project'), 'my-project');
    assert.equal(dnsLabel('__init__', 'site'), 'init');
    assert.equal(dnsLabel('café', 'site'), 'xn--caf-dma');
    assert.equal(dnsLabel('Bücher_Shop', 'site'), 'xn--bcher-shop-9db');
    assert.equal(dnsLabel('...', 'site'), 'site');
    assert.equal(dnsLabel('a'.repeat(80), 'site'), 'a'.repeat(63));
  });

  it('gives every site its own label and names the project after its folder', () => {
    const names = localhostNames('/work/Multisite_Demo', ['alpha', 'a_b', 'a-b', 'A-B']);
    assert.equal(names.project, 'multisite-demo');
    assert.deepEqual([...names.sites.values()], ['alpha', 'a-b', 'a-b-2', 'a-b-3']);
    assert.equal(localhostUrl('alpha', names.project, 8000), 'http://alpha.multisite-demo.localhost:8000/');
  });

  it('always makes a valid, distinct label', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', maxLength: 70 }), { maxLength: 8 }), (slugs) => {
        const labels = [...localhostNames('/p', slugs).sites.values()];
        const distinct = new Set(slugs);
        assert.equal(new Set(labels).size, localhostNames('/p', [...distinct]).sites.size);
        for (const label of labels) assert.match(label, /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/);
      }),
      { numRuns: 500 },
    );
  });
});
