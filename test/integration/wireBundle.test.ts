/**
 * dist/wire.js, as the build makes it (scripts/build.mjs): ws's https, tls and
 * zlib load when first used, not with the file, so the CLI does not pay for
 * them at every start; and when something does use them they work.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { REPO_ROOT } from '../support/demoProject';

const WIRE = path.join(REPO_ROOT, 'dist', 'wire.js');

/** What a fresh Node prints after running `script` with `wire` bound to dist/wire.js. */
function inFreshNode(script: string): string {
  return execFileSync(process.execPath, ['-e', `const wire = require(${JSON.stringify(WIRE)});\n${script}`], { encoding: 'utf8' }).trim();
}

const LOADED = `process.moduleLoadList.filter((m) => /^NativeModule (tls|https|zlib)$/.test(m)).map((m) => m.split(' ')[1]).join(',')`;

describe('dist/wire.js, the wire libraries as built', () => {
  it('loads no TLS, HTTPS or zlib with the file, nor for a ws:// connection', () => {
    assert.equal(inFreshNode(`console.log(${LOADED})`), '');
    const afterConnect = inFreshNode(`
      const ws = new wire.WebSocket('ws://127.0.0.1:1/', { perMessageDeflate: false });
      ws.on('error', () => console.log(${LOADED}));`);
    assert.equal(afterConnect, '');
  });

  it('loads TLS and HTTPS when a wss:// connection is made, and it fails as a connection, not as a missing module', () => {
    const said = inFreshNode(`
      const ws = new wire.WebSocket('wss://127.0.0.1:1/');
      ws.on('error', (error) => console.log(error.code, ${LOADED}));`);
    assert.equal(said, 'ECONNREFUSED tls,https');
  });
});
