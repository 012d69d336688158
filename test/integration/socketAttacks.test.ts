/**
 * Issue 14's attacks on the daemon's JSON-RPC socket, against the real daemon, the real CLI and real
 * runserver backends of the demo project (test/support/attackWorld.ts): no or a wrong token, browser
 * origins, foreign Host headers (DNS rebinding), messages over the limit, malformed JSON-RPC, floods
 * of connections. After every attack a legitimate client is still served, and a canary server on
 * another loopback port has received no connection.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import WebSocket from 'ws';
import { GetStatus } from '../../protocol/protocol';
import { upgradeStatus } from '../support/http';
import { rawRequest } from '../support/rawHttp';
import type { RpcMessage } from '../support/attackWorld';
import { closeCode, FLOOD, HANDSHAKE_LINES, MAX_MESSAGE, openSocket, useAttackWorld, whileHanging } from '../support/attackWorld';

describe('attacks on the JSON-RPC socket and the home (real daemon, real runserver backends)', function () {
  this.timeout(120_000);
  const { sandbox, discovery, stillServed, tried } = useAttackWorld();

  describe('the JSON-RPC socket', () => {
    it('refuses an upgrade without the token, or with a wrong one of any length (401)', async () => {
      const { port: rpc, token } = discovery();
      const flipped = `${token.slice(0, -1)}${token.endsWith('0') ? '1' : '0'}`;
      const wrong: Record<string, Record<string, string>> = {
        'no Authorization': {},
        'an empty bearer': { Authorization: 'Bearer ' },
        'a short token': { Authorization: 'Bearer x' },
        'the token but its last character': { Authorization: `Bearer ${token.slice(0, -1)}` },
        'the token and one more character': { Authorization: `Bearer ${token}0` },
        'a token of the right length, one character off': { Authorization: `Bearer ${flipped}` },
        'a token of the right length in other letters': { Authorization: `Bearer ${'é'.repeat(token.length)}` },
        'a 8 KB token': { Authorization: `Bearer ${'a'.repeat(8192)}` },
        'the token as Basic credentials': { Authorization: `Basic ${Buffer.from(`x:${token}`).toString('base64')}` },
        'the token as a subprotocol': { 'Sec-WebSocket-Protocol': token },
      };
      for (const [what, headers] of Object.entries(wrong)) {
        tried();
        assert.equal(await upgradeStatus(rpc, headers), 401, what);
      }
      tried();
      assert.equal(await upgradeStatus(rpc, {}, `/?token=${token}`), 401, 'the token in the URL');
      await stillServed();
    });

    it('refuses any browser origin, even with the token and even its own (403)', async () => {
      const { port: rpc, token } = discovery();
      const authorization = `Bearer ${token}`;
      for (const origin of [
        'http://evil.example',
        'null',
        `http://127.0.0.1:${rpc}`,
        'http://localhost',
        'vscode-webview://x',
        'chrome-extension://abc',
        'file://',
      ]) {
        tried();
        assert.equal(await upgradeStatus(rpc, { Authorization: authorization, Origin: origin }), 403, origin);
      }
      // Version 8 of the protocol (older browsers) names the page's origin in Sec-WebSocket-Origin.
      tried();
      assert.equal(
        await upgradeStatus(rpc, { Authorization: authorization, 'Sec-WebSocket-Version': '8', 'Sec-WebSocket-Origin': 'http://evil.example' }),
        403,
        'Sec-WebSocket-Origin',
      );
      await stillServed();
    });

    it('refuses a Host other than 127.0.0.1:<its port>, as DNS rebinding sends (403)', async () => {
      const { port: rpc, token } = discovery();
      const authorization = `Bearer ${token}`;
      const hosts = [
        `evil.example:${rpc}`,
        `localhost:${rpc}`,
        '127.0.0.1',
        `127.0.0.1:${rpc + 1}`,
        `[::1]:${rpc}`,
        `0.0.0.0:${rpc}`,
        `127.0.0.1.:${rpc}`,
        `2130706433:${rpc}`,
        `127.0.0.1:${rpc}.evil.example`,
      ];
      for (const host of hosts) {
        tried();
        assert.equal(await upgradeStatus(rpc, { Authorization: authorization, Host: host }), 403, host);
      }
      const raw = (hostLines: string, version = '1.1'): Promise<number> =>
        rawRequest(rpc, `GET / HTTP/${version}\r\n${hostLines}Authorization: ${authorization}\r\n${HANDSHAKE_LINES}\r\n`).then((a) => a.status);
      tried();
      assert.equal(await raw(`Host: evil.example:${rpc}\r\nHost: 127.0.0.1:${rpc}\r\n`), 403, 'a foreign Host before ours');
      tried();
      assert.equal(await raw('', '1.0'), 403, 'no Host');
      await stillServed();
    });

    it('closes a connection whose message is over the limit (1009), in one frame or in many, and serves others', async () => {
      const ws1 = await openSocket(discovery());
      const closed1 = closeCode(ws1);
      ws1.send('x'.repeat(MAX_MESSAGE + 1));
      tried();
      assert.equal(await closed1, 1009);

      const ws2 = await openSocket(discovery());
      const closed2 = closeCode(ws2);
      const piece = Buffer.alloc(1024 * 1024, 0x20);
      for (let n = 0; n < 4; n++) ws2.send(piece, { binary: false, fin: false });
      ws2.send('{}', { binary: false, fin: true });
      tried();
      assert.equal(await closed2, 1009, 'a message in frames under the limit that add up to more');
      await stillServed();
    });

    it('answers malformed JSON-RPC with its JSON-RPC error, keeps the connection, and stays well', async () => {
      const ws = await openSocket(discovery());
      const inbox: RpcMessage[] = [];
      /** Wakes the wait below: a message arrived, or the connection closed. */
      let wake: () => void = () => undefined;
      ws.on('message', (data: WebSocket.RawData) => {
        inbox.push(JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : '{}') as RpcMessage);
        wake();
      });
      ws.on('close', () => wake());
      let probe = 0;
      /** What the daemon answers `text` with (nothing: []), told apart by a status request sent after it on the same connection. */
      const answersTo = async (text: string): Promise<RpcMessage[]> => {
        const id = `probe-${++probe}`;
        inbox.length = 0;
        ws.send(text);
        ws.send(JSON.stringify({ jsonrpc: '2.0', id, method: GetStatus.method }));
        while (!inbox.some((m) => m.id === id)) {
          assert.equal(ws.readyState, WebSocket.OPEN, `the connection was kept after ${text.slice(0, 80)}`);
          await new Promise<void>((resolve) => (wake = resolve));
        }
        const probeAnswer = inbox.find((m) => m.id === id);
        assert.ok(probeAnswer && 'result' in probeAnswer, 'the request after it is answered');
        return inbox.filter((m) => m.id !== id);
      };
      const PARSE = -32700;
      const INVALID = -32600;
      const UNKNOWN = -32601;
      const BAD_REQUEST = 4000;
      const cases: [string, { code: number; id: number | string | null } | null][] = [
        ['not json', { code: PARSE, id: null }],
        ['', { code: PARSE, id: null }],
        ['{"jsonrpc":"2.0","id":1,"method":"daemon/status"', { code: PARSE, id: null }],
        ['null', { code: INVALID, id: null }],
        ['123', { code: INVALID, id: null }],
        ['"daemon/status"', { code: INVALID, id: null }],
        ['true', { code: INVALID, id: null }],
        ['[]', { code: INVALID, id: null }],
        ['[{"jsonrpc":"2.0","id":1,"method":"daemon/status"}]', { code: INVALID, id: null }],
        [`${'['.repeat(100_000)}${']'.repeat(100_000)}`, { code: INVALID, id: null }],
        ['{}', { code: INVALID, id: null }],
        ['{"jsonrpc":"2.0","id":2}', { code: INVALID, id: 2 }],
        ['{"jsonrpc":"2.0","id":{},"method":"daemon/status"}', { code: INVALID, id: null }],
        ['{"jsonrpc":"2.0","id":null,"method":"daemon/status"}', { code: INVALID, id: null }],
        ['{"jsonrpc":"2.0","id":3,"method":7}', { code: INVALID, id: 3 }],
        ['{"jsonrpc":"1.0","id":4,"method":"daemon/status"}', { code: INVALID, id: 4 }],
        ['{"id":5,"method":"daemon/status"}', { code: INVALID, id: 5 }],
        ['{"jsonrpc":"2.0","id":6,"method":"daemon/status","params":"x"}', { code: INVALID, id: 6 }],
        ['{"jsonrpc":"2.0","id":7,"method":"site/switch","params":null}', { code: INVALID, id: 7 }],
        ['{"jsonrpc":"2.0","id":8,"method":"no/such"}', { code: UNKNOWN, id: 8 }],
        ['{"jsonrpc":"2.0","id":9,"method":"__proto__"}', { code: UNKNOWN, id: 9 }],
        ['{"jsonrpc":"2.0","id":10,"method":"constructor"}', { code: UNKNOWN, id: 10 }],
        ['{"jsonrpc":"2.0","method":"no/such"}', null],
        ['{"jsonrpc":"2.0","id":11,"result":1}', null],
        ['{"jsonrpc":"2.0","id":12,"method":"site/switch","params":[null]}', { code: BAD_REQUEST, id: 12 }],
        ['{"jsonrpc":"2.0","id":13,"method":"site/switch","params":{}}', { code: BAD_REQUEST, id: 13 }],
        ['{"jsonrpc":"2.0","id":14,"method":"site/switch","params":{"root":7}}', { code: BAD_REQUEST, id: 14 }],
      ];
      for (const [text, expected] of cases) {
        tried();
        const answers = await answersTo(text);
        const what = text.slice(0, 80);
        if (!expected) {
          assert.deepEqual(answers, [], `no answer to ${what}`);
          continue;
        }
        assert.equal(answers.length, 1, `one answer to ${what}: ${JSON.stringify(answers)}`);
        assert.equal(answers[0].error?.code, expected.code, `the error code for ${what}: ${JSON.stringify(answers[0])}`);
        assert.equal(answers[0].id, expected.id, `the id of the answer to ${what}`);
        // A sentence for a person, not a stack trace.
        assert.match(answers[0].error?.message ?? '', /^[A-Z"].*[.:]?$/, `the message for ${what}`);
        assert.doesNotMatch(answers[0].error?.message ?? '', /\n|\bat \S+:\d+|Cannot destructure/, `the message for ${what}`);
      }
      ws.close();
      await stillServed();
      const log = readFileSync(path.join(sandbox().home, 'daemon.log'), 'utf8');
      assert.doesNotMatch(log, /internal error/, 'no malformed request reached the daemon as a failure of its own');
    });

    it(`serves a client while ${FLOOD} connections hang open mid-request and ${FLOOD} more are refused at once`, async () => {
      const { port: rpc } = discovery();
      await whileHanging(rpc, `GET / HTTP/1.1\r\nHost: 127.0.0.1:${rpc}\r\n${HANDSHAKE_LINES}`, async () => {
        tried();
        await stillServed();
        const statuses = await Promise.all(Array.from({ length: FLOOD }, () => upgradeStatus(rpc, { Authorization: 'Bearer wrong' })));
        tried();
        assert.deepEqual([...new Set(statuses)], [401]);
        await stillServed();
      });
    });
  });
});
