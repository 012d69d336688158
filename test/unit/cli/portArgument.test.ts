/** The CLI's --port argument: plain decimal port numbers only. */
import * as assert from 'node:assert/strict';
import { parsePortArgument } from '../../../cli/portArgument';

describe('--port', () => {
  it('accepts plain decimal port numbers only', () => {
    assert.equal(parsePortArgument('8000'), 8000);
    assert.equal(parsePortArgument('1'), 1);
    assert.equal(parsePortArgument('65535'), 65535);
    for (const text of ['0x50', '1e3', '80.0', ' 80', '+80', '-1', '0', '65536', '', '8000abc', '１２３']) {
      assert.equal(parsePortArgument(text), null, JSON.stringify(text));
    }
  });
});
