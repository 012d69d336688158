import * as assert from 'node:assert/strict';
import { domainUrl } from '../../daemon/protocol/domainUrl';
import { lastLine } from '../../daemon/sentence';

describe('domainUrl', () => {
  it('leaves port 80 out, as browsers write it, and carries any other', () => {
    assert.equal(domainUrl('alpha.example', 80), 'http://alpha.example/');
    assert.equal(domainUrl('alpha.example', '80'), 'http://alpha.example/');
    assert.equal(domainUrl('alpha.example', ''), 'http://alpha.example/');
    assert.equal(domainUrl('alpha.example', null), 'http://alpha.example/');
    assert.equal(domainUrl('alpha.example', 8001), 'http://alpha.example:8001/');
  });
});

describe('lastLine', () => {
  it('is the last line that says anything, or null', () => {
    assert.equal(lastLine('Traceback\r\n  File x\r\nImportError: no django\r\n\n  \n'), 'ImportError: no django');
    assert.equal(lastLine('  \n'), null);
  });
});
