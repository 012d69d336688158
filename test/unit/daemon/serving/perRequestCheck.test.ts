/** The self-check of one server for every SITE_ID (issue 27): which sites it asks for, and what it refuses, against a real HTTP server. */
import * as assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkedSites, perRequestRefusal } from '../../../../daemon/serving/perRequestCheck';
import { siteRecord } from '../../../support/siteRecord';

const alpha = siteRecord('alpha', { id: 1 });
const beta = siteRecord('beta', { id: 2 });
const unnumbered = siteRecord('gamma', { id: null });

describe('the self-check of one server for every SITE_ID', () => {
  let server: Server;
  let port: number;
  let answer: (siteId: number, headers: IncomingHttpHeaders) => unknown;

  before(async () => {
    server = createServer((req, res) => {
      const siteId = Number(String(req.headers['x-multisite-local-site']).split(':')[1]);
      const body = answer(siteId, req.headers);
      res.writeHead(typeof body === 'string' ? 404 : 200, { 'content-type': 'application/json' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => server.close());

  const own = (siteId: number) => ({ siteId, currentSite: siteId, captures: [], error: null });

  it('asks for the current site and another, each with a SITE_ID', () => {
    assert.deepEqual(checkedSites([unnumbered, alpha, beta], beta), [beta, alpha]);
    assert.deepEqual(checkedSites([alpha], null), [alpha]);
    assert.deepEqual(checkedSites([unnumbered], null), []);
  });

  it('passes when each answer is its own site, asked with the secret in both headers', async () => {
    const seen: IncomingHttpHeaders[] = [];
    answer = (siteId, headers) => (seen.push(headers), own(siteId));
    assert.equal(await perRequestRefusal(port, 's3cret', [alpha, beta], '/project'), null);
    assert.deepEqual(
      seen.map((h) => [h['x-multisite-local-check'], h['x-multisite-local-site']]),
      [
        ['s3cret', 's3cret:1'],
        ['s3cret', 's3cret:2'],
      ],
    );
  });

  it('refuses a read of the site at import, naming its file and line under the project', async () => {
    answer = (siteId) => ({ ...own(siteId), captures: [{ file: '/project/app/views.py', line: 12, module: 'app.views' }] });
    assert.equal(
      await perRequestRefusal(port, 's', [alpha, beta], '/project'),
      "app/views.py:12 reads the site while app.views is imported, which would keep the site of the server's start for every site",
    );
  });

  it('refuses a SITE_ID or current site that is not the one asked for, and an error', async () => {
    answer = (siteId) => ({ ...own(siteId), siteId: 1 });
    assert.match((await perRequestRefusal(port, 's', [alpha, beta], '/p')) ?? '', /^settings\.SITE_ID was 1 in a request for beta \(SITE_ID 2\)$/);
    answer = (siteId) => ({ ...own(siteId), currentSite: 1 });
    assert.match((await perRequestRefusal(port, 's', [alpha, beta], '/p')) ?? '', /get_current\(\) was site 1 in a request for beta/);
    answer = (siteId) => ({ ...own(siteId), error: 'OperationalError: no such table' });
    assert.match((await perRequestRefusal(port, 's', [alpha], '/p')) ?? '', /failed: OperationalError: no such table$/);
  });

  it('refuses an answer that is not the bootstrap’s (a middleware answered first, or no bootstrap ran)', async () => {
    answer = () => '<h1>Not Found</h1>';
    assert.match((await perRequestRefusal(port, 's', [alpha], '/p')) ?? '', /did not answer its self-check \(HTTP 404\)/);
  });
});
