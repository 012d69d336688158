import * as assert from 'node:assert/strict';
import { domainUrl } from '../../daemon/protocol/domainUrl';

describe('domainUrl', () => {
  it('leaves port 80 out, as browsers write it, and carries any other', () => {
    assert.equal(domainUrl('alpha.example', 80), 'http://alpha.example/');
    assert.equal(domainUrl('alpha.example', '80'), 'http://alpha.example/');
    assert.equal(domainUrl('alpha.example', ''), 'http://alpha.example/');
    assert.equal(domainUrl('alpha.example', null), 'http://alpha.example/');
    assert.equal(domainUrl('alpha.example', 8001), 'http://alpha.example:8001/');
  });
});
