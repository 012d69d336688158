/**
 * The screen in front of the daemon's JSON-RPC dispatcher: every message that
 * is not JSON-RPC 2.0 gets the error the specification names, with the
 * request's id when it has one, and every message that is passes untouched.
 * The same messages against the real daemon: test/integration/socketAttacks.test.ts.
 */
import * as assert from 'node:assert/strict';
import { INVALID_REQUEST, PARSE_ERROR, screenMessage, screenedSocket } from '../../../../daemon/server/jsonRpcScreen';
import type { IWebSocket } from '../../../../protocol/wire';

describe('screenMessage', () => {
  it('passes requests, notifications and responses as vscode-jsonrpc sends them', () => {
    for (const message of [
      { jsonrpc: '2.0', id: 1, method: 'daemon/status' },
      { jsonrpc: '2.0', id: 'a', method: 'site/switch', params: { root: '/p', site: 'alpha' } },
      { jsonrpc: '2.0', id: 2, method: 'site/switch', params: [{ root: '/p' }] },
      { jsonrpc: '2.0', method: '$/cancelRequest', params: { id: 1 } },
      { jsonrpc: '2.0', id: 3, result: null },
      { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } },
    ]) {
      assert.equal(screenMessage(JSON.stringify(message)), null, JSON.stringify(message));
    }
  });

  it('answers text that is not JSON with a Parse error (id null)', () => {
    for (const text of ['', 'not json', '{"jsonrpc":"2.0"', "{'a':1}", 'NaN']) {
      assert.deepEqual(screenMessage(text)?.error.code, PARSE_ERROR, text);
      assert.equal(screenMessage(text)?.id, null);
    }
  });

  it('answers JSON that is no JSON-RPC 2.0 message with Invalid Request, naming the id when it has a usable one', () => {
    const cases: [string, string | number | null, RegExp][] = [
      ['null', null, /must be a JSON object/],
      ['7', null, /must be a JSON object/],
      ['"daemon/status"', null, /must be a JSON object/],
      ['[]', null, /batches are not supported/],
      ['[{"jsonrpc":"2.0","id":1,"method":"daemon/status"}]', null, /batches are not supported/],
      ['{}', null, /"jsonrpc" must be "2.0"/],
      ['{"id":5,"method":"daemon/status"}', 5, /"jsonrpc" must be "2.0"/],
      ['{"jsonrpc":"1.0","id":"x","method":"daemon/status"}', 'x', /"jsonrpc" must be "2.0"/],
      ['{"jsonrpc":"2.0","id":3,"method":7}', 3, /"method" must be a string/],
      ['{"jsonrpc":"2.0","id":{},"method":"daemon/status"}', null, /"id" must be a string or a number/],
      ['{"jsonrpc":"2.0","id":null,"method":"daemon/status"}', null, /"id" must be a string or a number/],
      ['{"jsonrpc":"2.0","id":true,"method":"daemon/status"}', null, /"id" must be a string or a number/],
      ['{"jsonrpc":"2.0","id":6,"method":"daemon/status","params":null}', 6, /"params" must be an object or an array/],
      ['{"jsonrpc":"2.0","id":6,"method":"daemon/status","params":"x"}', 6, /"params" must be an object or an array/],
      ['{"jsonrpc":"2.0","method":1,"params":"bar"}', null, /"method" must be a string/],
      ['{"jsonrpc":"2.0","id":2}', 2, /a request .* or a response/],
      ['{"jsonrpc":"2.0","id":2,"result":1,"error":{}}', 2, /a request .* or a response/],
      ['{"jsonrpc":"2.0","result":1}', null, /a request .* or a response/],
    ];
    for (const [text, id, reason] of cases) {
      const reply = screenMessage(text);
      assert.equal(reply?.error.code, INVALID_REQUEST, text);
      assert.equal(reply?.id, id, text);
      assert.match(reply?.error.message ?? '', reason, text);
      assert.match(reply?.error.message ?? '', /^Invalid Request: .*\.$/, text);
    }
  });

  it('survives nesting far deeper than any message needs', () => {
    assert.equal(screenMessage(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)?.error.code, INVALID_REQUEST);
  });
});

describe('screenedSocket', () => {
  it('answers what it refuses on the socket and hands on the rest as text, Buffers decoded', () => {
    const sent: string[] = [];
    let incoming: (data: unknown) => void = () => undefined;
    const socket: IWebSocket = {
      send: (content) => sent.push(content),
      onMessage: (cb) => (incoming = cb),
      onError: () => undefined,
      onClose: () => undefined,
      dispose: () => undefined,
    };
    const delivered: unknown[] = [];
    screenedSocket(socket).onMessage((data) => delivered.push(data));
    const request = '{"jsonrpc":"2.0","id":1,"method":"daemon/status"}';
    incoming('oops');
    incoming(request);
    incoming(Buffer.from(request));
    assert.deepEqual(delivered, [request, request]);
    assert.deepEqual(
      sent.map((s) => JSON.parse(s) as unknown),
      [{ jsonrpc: '2.0', id: null, error: { code: PARSE_ERROR, message: 'Parse error: the message is not JSON.' } }],
    );
  });
});
