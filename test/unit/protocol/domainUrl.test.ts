import * as assert from 'node:assert/strict';
import { domainHost, domainUrl, urlPort } from '../../../protocol/domainUrl';

describe('domainUrl', () => {
  it('leaves port 80 out, as browsers write it, and carries any other', () => {
    assert.equal(domainUrl('alpha.example', 80), 'http://alpha.example/');
    assert.equal(domainUrl('alpha.example', '80'), 'http://alpha.example/');
    assert.equal(domainUrl('alpha.example', ''), 'http://alpha.example/');
    assert.equal(domainUrl('alpha.example', null), 'http://alpha.example/');
    assert.equal(domainUrl('alpha.example', 8001), 'http://alpha.example:8001/');
  });

  it('writes the Host header a browser sends: the port only when it is not 80', () => {
    assert.equal(domainHost('alpha.example', 80), 'alpha.example');
    assert.equal(domainHost('alpha.example', 8001), 'alpha.example:8001');
  });

  it("reads the port an address names, else its scheme's default (a URL's own port is '' then)", () => {
    assert.equal(urlPort('http://127.0.0.1:8001/'), 8001);
    assert.equal(urlPort('http://alpha.example/'), 80);
    assert.equal(urlPort('https://alpha.example/'), 443);
  });
});
