import * as assert from 'node:assert/strict';
import { checkUpgrade } from '../../daemon/rpcServer';

describe('checkUpgrade', () => {
  const token = 'a'.repeat(64);
  const good = { host: '127.0.0.1:4000', authorization: `Bearer ${token}` };

  it('accepts the token from a non-browser client on the loopback host', () => {
    assert.deepEqual(checkUpgrade(good, 4000, token), { ok: true });
  });

  it('refuses a missing or wrong token with 401', () => {
    assert.equal(checkUpgrade({ host: good.host }, 4000, token).ok, false);
    assert.deepEqual(checkUpgrade({ ...good, authorization: 'Bearer nope' }, 4000, token), { ok: false, status: 401, reason: 'missing or wrong token' });
  });

  it('refuses browsers (Origin) and DNS rebinding (other Host) with 403', () => {
    const origin = checkUpgrade({ ...good, origin: 'http://evil.example' }, 4000, token);
    assert.equal(!origin.ok && origin.status, 403);
    const host = checkUpgrade({ ...good, host: 'evil.example:4000' }, 4000, token);
    assert.equal(!host.ok && host.status, 403);
  });
});
