/**
 * Issue 21: half-sent requests held open exhausted the daemon's descriptors
 * (its limit lowered to 400, 450 connections): the CLI got "socket hang up",
 * proxied requests failed, the discovery file could not be restored. Here the
 * real daemon runs under that limit (prlimit), serving the demo's real
 * runserver, while more half-open connections than its limit allows are held
 * against its proxy: `status` and a proxied request are still answered, and
 * nothing in its log says it ran out.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import * as path from 'node:path';
import type { ProjectState, StatusResult } from '../../protocol/protocol';
import { connectionCap } from '../../daemon/proxy/connectionBudget';
import { CLI } from '../support/cli';
import { addFigure } from '../support/figures';
import { requestVia } from '../support/http';
import { useFreePort } from '../support/useFreePort';
import { useSandbox } from '../support/useSandbox';

interface StatusJson extends StatusResult {
  project: ProjectState | null;
}

const LIMIT = 400;
/** More connections than the daemon has descriptors: three times what its proxies may hold. */
const HELD = 3 * connectionCap(LIMIT);

const h1 = (body: string): string | null => /<h1 id="site-name">([^<]*)<\/h1>/.exec(body)?.[1] ?? null;

describe(`the proxy with ${HELD} half-open connections held against a daemon limited to ${LIMIT} descriptors (issue 21)`, function () {
  this.timeout(120_000);
  const port = useFreePort(25_000);
  const sandbox = useSandbox({ requires: ['django'] });
  const held: Socket[] = [];

  after(() => {
    for (const socket of held.splice(0)) socket.destroy();
  });

  it('still answers `status` and proxied requests, and never runs out of descriptors', async () => {
    // The daemon inherits the CLI's limit when the CLI starts it.
    const started = spawnSync('prlimit', [`--nofile=${LIMIT}:${LIMIT}`, process.execPath, CLI, 'daemon', 'start'], {
      cwd: sandbox().demo,
      env: { ...process.env, ...sandbox().env },
      encoding: 'utf8',
    });
    assert.equal(started.status, 0, started.stderr);
    const pid = sandbox().daemonPid() as number;
    assert.match(readFileSync(`/proc/${pid}/limits`, 'utf8'), new RegExp(`^Max open files\\s+${LIMIT}\\s`, 'm'));
    await sandbox().cliJson(['switch', 'alpha', '--port', String(port())]);
    const host = `beta.${path.basename(sandbox().demo).toLowerCase()}.localhost:${port()}`;
    assert.equal(h1((await requestVia(port(), host)).body), 'Beta Shop'); // beta's backend is warm before the flood

    for (let n = 0; n < HELD; n++) {
      const socket = connect(port(), '127.0.0.1');
      socket.on('error', () => undefined);
      socket.on('connect', () => socket.write(`GET / HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: never ends`));
      held.push(socket);
    }
    await Promise.all(
      held.map((s) => new Promise((resolve) => (s.readyState === 'opening' ? s.once('connect', resolve).once('close', resolve) : resolve(null)))),
    );
    addFigure('attacks tried', 1);

    const status = await sandbox().cliJson<StatusJson>(['status']);
    assert.equal(status.project?.currentSite?.slug, 'alpha');
    for (const backend of status.project?.backends ?? []) if (backend.pid) sandbox().startedGroups.add(backend.pid);
    const answer = await requestVia(port(), host);
    assert.equal(answer.status, 200);
    assert.equal(h1(answer.body), 'Beta Shop');
    const open = held.filter((s) => !s.closed).length;
    console.log(`      ${open} of ${HELD} half-open connections still open; status and a proxied request answered`);
    assert.ok(open <= connectionCap(LIMIT), `at most ${connectionCap(LIMIT)} connections held by the proxy, ${open} were`);
    assert.equal(sandbox().daemonPid(), pid, 'the same daemon');
    const log = readFileSync(path.join(sandbox().home, 'daemon.log'), 'utf8');
    assert.doesNotMatch(log, /EMFILE|ENFILE/, 'the daemon never ran out of descriptors');
  });
});
