/**
 * A port per site (issue 25), with the real CLI and daemon and real runserver
 * backends of the demo: every site also answers at http://127.0.0.1:<its
 * port>/ whatever loopback name is used, through the same proxy; a port taken
 * by another program is skipped, and the ports chosen are kept across daemon
 * restarts; multisite.json's `sitePorts` moves or turns them off.
 */
import * as assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import * as path from 'node:path';
import type { SitesResult, SwitchResult } from '../../protocol/protocol';
import { choosePort } from '../../daemon/runners/freePort';
import { requestVia } from '../support/http';
import { useFreePort } from '../support/useFreePort';
import { useSandbox } from '../support/useSandbox';

const h1 = (body: string): string | null => /<h1 id="site-name">([^<]*)<\/h1>/.exec(body)?.[1] ?? null;

const NAMES: Record<string, string> = { alpha: 'Alpha News', beta: 'Beta Shop', gamma: 'Gamma Blog' };

/** Holds 127.0.0.1:`port`, as another program would. */
function hold(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer((socket) => socket.destroy());
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

describe('a port per site (real daemon, real runserver backends)', function () {
  const port = useFreePort(23_000);
  const sandbox = useSandbox({ requires: ['django'] });

  /** Each site's own port, from `sites --json`. */
  const sitePorts = async (): Promise<Record<string, number | null>> => {
    const sites = await sandbox().cliJson<SitesResult>(['sites', '--port', String(port())]);
    return Object.fromEntries(sites.sites.map((s) => [s.slug, s.portUrl ? Number(new URL(s.portUrl).port) : null]));
  };

  it('serves each site at its own port, whatever loopback name the browser uses, and lists the ports', async () => {
    const switched = await sandbox().cliJson<SwitchResult>(['switch', 'alpha', '--port', String(port())]);
    const ports = await sitePorts();
    assert.equal(switched.site.portUrl, `http://127.0.0.1:${ports.alpha}/`);
    const all = Object.values(ports);
    assert.equal(new Set(all).size, 3, `three ports of their own: ${JSON.stringify(ports)}`);
    for (const own of all) assert.ok(own !== null && own > port(), `${own} is above the project's port ${port()}`);
    for (const [slug, name] of Object.entries(NAMES)) {
      const own = ports[slug] ?? 0;
      // Alpha is the current site; Beta and Gamma start on their first request, at their own port too.
      for (const host of [`127.0.0.1:${own}`, `localhost:${own}`, `[::1]:${own}`]) {
        const page = await requestVia(own, host);
        assert.equal(page.status, 200, `${host}: ${page.body.slice(0, 200)}`);
        assert.equal(h1(page.body), name, host);
      }
      // A name that is not this machine's (DNS rebinding) is refused there as on the project's port.
      assert.equal((await requestVia(own, 'alpha-news.example')).status, 421);
    }
    // The listing of the project's port names the sites' own ports.
    const listing = await requestVia(port(), 'nothing.localhost');
    for (const own of all) assert.match(listing.body, new RegExp(`href="http://127\\.0\\.0\\.1:${own}/"`));
    // The CLI's table has the column.
    const table = await sandbox().cli(['sites', '--port', String(port())]);
    assert.match(table.stdout, new RegExp(`OWN PORT[\\s\\S]*http://127\\.0\\.0\\.1:${ports.beta}/`));
  });

  it('skips a port another program holds, and gives each site the same port after the daemon restarts', async () => {
    // A daemon that never gave the sites ports, and the first port they would get (next to the project's) held.
    assert.equal((await sandbox().cli(['daemon', 'stop'])).code, 0);
    rmSync(path.join(sandbox().home, 'site-ports.json'));
    const taken = await choosePort(port() + 1);
    const holder = await hold(taken);
    let first: Record<string, number | null>;
    try {
      await sandbox().cliJson<SwitchResult>(['switch', 'beta', '--port', String(port())]);
      first = await sitePorts();
      assert.ok(!Object.values(first).includes(taken), `${taken} is skipped: ${JSON.stringify(first)}`);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
    const book = JSON.parse(readFileSync(path.join(sandbox().home, 'site-ports.json'), 'utf8')) as Record<string, Record<string, number>>;
    assert.deepEqual(Object.values(book)[0], first, 'kept in the daemon home');

    assert.equal((await sandbox().cli(['daemon', 'stop'])).code, 0);
    await sandbox().cliJson<SwitchResult>(['switch', 'beta', '--port', String(port())]);
    assert.deepEqual(await sitePorts(), first, 'the same ports, though the one skipped is free now');
    assert.equal(h1((await requestVia(first.gamma ?? 0, `127.0.0.1:${first.gamma}`)).body), 'Gamma Blog');
  });

  it("moves the sites' ports where multisite.json says, and gives them none with false", async () => {
    const start = await choosePort(port() + 500);
    const config = path.join(sandbox().demo, 'multisite.json');
    writeFileSync(config, JSON.stringify({ sitePorts: start }));
    await sandbox().cliJson<SwitchResult>(['switch', 'gamma', '--port', String(port())]);
    const moved = await sitePorts();
    for (const own of Object.values(moved)) assert.ok(own !== null && own >= start, `${own} from ${start} on`);
    assert.equal(h1((await requestVia(moved.gamma ?? 0, `localhost:${moved.gamma}`)).body), 'Gamma Blog');

    writeFileSync(config, JSON.stringify({ sitePorts: false }));
    await sandbox().cliJson<SwitchResult>(['switch', 'alpha', '--port', String(port())]);
    assert.deepEqual(await sitePorts(), { alpha: null, beta: null, gamma: null });
    await assert.rejects(requestVia(moved.alpha ?? 0, `127.0.0.1:${moved.alpha}`), /ECONNREFUSED/);
  });
});
