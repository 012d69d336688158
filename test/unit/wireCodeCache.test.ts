import * as assert from 'node:assert/strict';
import { codeCacheFile } from '../../daemon/cli/wireCodeCache';

describe("the CLI's code cache file name", () => {
  it('differs for two sources of the same length (V8 checks only the length)', () => {
    const a = codeCacheFile('/cache', 'module.exports = 1;');
    const b = codeCacheFile('/cache', 'module.exports = 2;');
    assert.notEqual(a, b);
    assert.match(a, /^\/cache\/wire-[0-9a-f]{16}\.v8$/);
    assert.equal(codeCacheFile('/cache', 'module.exports = 1;'), a);
  });
});
