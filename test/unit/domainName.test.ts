/** Domain names as a hosts file needs them: IDNs to punycode, anything a hosts line could misread refused. */
import * as assert from 'node:assert/strict';
import { checkDomain } from '../../daemon/sites/domainName';

describe('domain names', () => {
  it('checks names the way a hosts file needs them', () => {
    assert.deepEqual(checkDomain('Straße.DE'), { ok: true, ascii: 'xn--strae-oqa.de' });
    for (const bad of ['a b.example', 'a\nb.example', 'x#y.example', '-a.example', 'a..b', '127.0.0.1', 'a;rm.example', '']) {
      assert.equal(checkDomain(bad).ok, false, JSON.stringify(bad));
    }
  });
});
