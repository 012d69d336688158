/**
 * How the sites' own ports are chosen (issue 25), with a real SiteProxy
 * listening in process and a real book in a temp home: ports the book gives
 * other sites are passed over however many there are, a remembered port
 * another program holds is said and replaced for now (the book keeps it), and
 * a sync after the proxy stopped opens nothing and says nothing.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { AddressMap } from '../../../../daemon/proxy/addressMap';
import { SitePortBook } from '../../../../daemon/proxy/sitePortBook';
import { SitePorts } from '../../../../daemon/proxy/sitePorts';
import { SiteProxy } from '../../../../daemon/proxy/siteProxy';
import { choosePort } from '../../../../daemon/runners/freePort';
import { siteRecord } from '../../../support/siteRecord';

describe("the sites' own ports, as they are chosen", () => {
  let proxy: SiteProxy;
  let book: SitePortBook;
  let notes: string[];
  const held: Server[] = [];

  beforeEach(async () => {
    proxy = new SiteProxy(
      {
        addresses: () => new AddressMap('p.localhost', []),
        target: () => Promise.resolve(null),
        listing: () => ({ project: 'p', sites: [] }),
        previewBlocked: (slug) => ({ label: slug, url: '' }),
      },
      () => undefined,
    );
    await proxy.listen(0);
    book = new SitePortBook(mkdtempSync(path.join(tmpdir(), 'msl-site-ports-')));
    notes = [];
  });

  afterEach(async () => {
    await proxy.close();
    for (const server of held.splice(0)) await new Promise((resolve) => server.close(resolve));
  });

  const portsFor = (slugs: string[], start: number): SitePorts =>
    new SitePorts(proxy, { root: '/p', book, start: () => start, sites: () => slugs.map((slug) => siteRecord(slug)), note: (text) => notes.push(text) });

  it('passes over every port the book gives another site, however many', async () => {
    const start = await choosePort(31_000 + (process.pid % 1000));
    for (let i = 0; i < 250; i++) book.remember('/other', `site-${i}`, start + i);
    await portsFor(['a'], start).sync();
    const port = proxy.portOf('a');
    assert.ok(port !== null && port >= start + 250, `a has port ${port}, past the 250 the book holds from ${start}`);
    assert.equal(new SitePortBook(path.dirname(book.file)).remembered('/p', 'a'), port, 'saved');
    assert.deepEqual(notes, []);
  });

  it('says a remembered port another program holds, answers on another for now, and keeps the remembered one', async () => {
    const remembered = await choosePort(32_000 + (process.pid % 1000));
    book.remember('/p', 'a', remembered);
    held.push(
      await new Promise<Server>((resolve) => {
        const s = createServer();
        s.listen(remembered, '127.0.0.1', () => resolve(s));
      }),
    );
    await portsFor(['a'], remembered).sync();
    assert.notEqual(proxy.portOf('a'), null);
    assert.notEqual(proxy.portOf('a'), remembered);
    assert.equal(notes.length, 1);
    assert.match(notes[0], new RegExp(`^Port ${remembered} of a is in use by .+, so it answers on port ${proxy.portOf('a')} for now\\.$`));
    assert.equal(book.remembered('/p', 'a'), remembered);
  });

  it('opens nothing and says nothing once the proxy stopped', async () => {
    const ports = portsFor(['a', 'b'], await choosePort(33_000 + (process.pid % 1000)));
    await proxy.close();
    await ports.sync();
    assert.deepEqual(proxy.sitesWithPorts, []);
    assert.deepEqual(notes, []);
  });
});
