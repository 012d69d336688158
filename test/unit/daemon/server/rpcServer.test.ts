import * as assert from 'node:assert/strict';
import { checkUpgrade, sameSecret } from '../../../../daemon/server/rpcServer';

describe('checkUpgrade', () => {
  const token = 'a'.repeat(64);
  const good = { host: '127.0.0.1:4000', authorization: `Bearer ${token}` };

  it('accepts the token from a non-browser client on the loopback host', () => {
    assert.deepEqual(checkUpgrade(good, 4000, token), { ok: true });
  });

  it('refuses a missing or wrong token with 401', () => {
    assert.equal(checkUpgrade({ host: good.host }, 4000, token).ok, false);
    assert.deepEqual(checkUpgrade({ ...good, authorization: 'Bearer nope' }, 4000, token), { ok: false, status: 401, reason: 'missing or wrong token' });
    for (const authorization of ['Bearer ', `Bearer ${token} x`, `Basic ${token}`, token, `Bearer  ${token}`]) {
      assert.deepEqual(checkUpgrade({ ...good, authorization }, 4000, token), { ok: false, status: 401, reason: 'missing or wrong token' }, authorization);
    }
  });

  it('refuses browsers (Origin, or Sec-WebSocket-Origin in protocol version 8) and DNS rebinding (other Host) with 403', () => {
    const origin = checkUpgrade({ ...good, origin: 'http://evil.example' }, 4000, token);
    assert.equal(!origin.ok && origin.status, 403);
    const oldOrigin = checkUpgrade({ ...good, 'sec-websocket-origin': 'http://evil.example' }, 4000, token);
    assert.equal(!oldOrigin.ok && oldOrigin.status, 403);
    for (const host of ['evil.example:4000', 'localhost:4000', '127.0.0.1', '127.0.0.1:40000', '[::1]:4000', undefined]) {
      const verdict = checkUpgrade({ ...good, host }, 4000, token);
      assert.equal(!verdict.ok && verdict.status, 403, host);
    }
  });
});

describe('sameSecret', () => {
  const token = 'f00dfeed'.repeat(8);

  it('is true for the token only', () => {
    assert.equal(sameSecret(token, token), true);
    assert.equal(sameSecret(`${token.slice(0, -1)}e`, token), false);
    assert.equal(sameSecret(token.toUpperCase(), token), false);
  });

  it('answers false, without throwing, for a secret of any other length, in characters or in bytes', () => {
    const others = [
      '',
      'f',
      token.slice(0, -1),
      `${token}0`,
      token.repeat(2),
      'x'.repeat(100_000),
      // As many characters as the token, but twice as many bytes in UTF-8.
      'é'.repeat(token.length),
      // As many UTF-8 bytes as the token, fewer characters.
      'é'.repeat(token.length / 2),
    ];
    for (const given of others) assert.equal(sameSecret(given, token), false, `${given.length} characters`);
  });
});
