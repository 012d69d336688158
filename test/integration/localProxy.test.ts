/**
 * Every site at once through the local proxy: the real CLI and daemon, real
 * runserver backends of the demo project (one per site, each with its
 * SITE_ID), real HTTP through the proxy with the Host a browser sends for
 * `<site>.<project>.localhost`.
 */
import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import * as path from 'node:path';
import { groupAlive } from '../../daemon/base/processGroup';
import type { ProjectState, SitesResult, StatusResult, SwitchResult } from '../../protocol/protocol';
import { requestVia } from '../support/http';
import { readServerLog } from '../support/serverLog';
import { useFreePort } from '../support/useFreePort';
import { useSandbox } from '../support/useSandbox';

interface StatusJson extends StatusResult {
  project: ProjectState | null;
}

const h1 = (body: string): string | null => /<h1 id="site-name">([^<]*)<\/h1>/.exec(body)?.[1] ?? null;

describe('every site at once through the local proxy (real daemon, real runserver backends)', function () {
  const port = useFreePort(19_000);
  const sandbox = useSandbox({ requires: ['django'] });
  /** `<site>.<project>.localhost:<port>`, the Host a browser sends for the site's address. */
  const hostOf = (site: string): string =>
    `${site}.${path
      .basename(sandbox().demo)
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')}.localhost:${port()}`;
  const status = (): Promise<StatusJson> => sandbox().cliJson<StatusJson>(['status']);
  const backendOf = async (label: string): Promise<ProjectState['backends'][number]> => {
    const backend = (await status()).project?.backends.find((b) => b.label === label);
    assert.ok(backend, `a backend for ${label}`);
    if (backend.pid) sandbox().startedGroups.add(backend.pid);
    return backend;
  };

  it('shows each site its own address, and serves the current one at the bare address', async () => {
    const switched = await sandbox().cliJson<SwitchResult>(['switch', 'alpha', '--port', String(port()), '--routing', 'siteId']);
    assert.equal(switched.url, `http://127.0.0.1:${port()}/`);
    assert.equal(switched.localhostUrl, `http://${hostOf('alpha')}/`);
    const sites = await sandbox().cliJson<SitesResult>(['sites']);
    assert.deepEqual(
      sites.sites.map((s) => s.localhostUrl),
      ['alpha', 'beta', 'gamma'].map((s) => `http://${hostOf(s)}/`),
    );
    const state = (await status()).project;
    assert.equal(state?.strategy, 'siteId');
    assert.match(h1((await requestVia(port(), `127.0.0.1:${port()}`)).body) ?? '', /Alpha News/);
  });

  it('serves three sites at once, each at its own name with its own page; a cold one starts on its first request', async () => {
    for (const [site, name] of [
      ['alpha', 'Alpha News'],
      ['beta', 'Beta Shop'],
      ['gamma', 'Gamma Blog'],
    ]) {
      const page = await requestVia(port(), hostOf(site));
      assert.equal(page.status, 200);
      assert.equal(h1(page.body), name);
      assert.match(page.body, /Chosen by the SITE_ID/);
    }
    const backends = (await status()).project?.backends ?? [];
    assert.deepEqual(backends.map((b) => [b.label, b.phase]).sort(), [
      ['Alpha News', 'running'],
      ['Beta Shop', 'running'],
      ['Gamma Blog', 'running'],
    ]);
    for (const b of backends) {
      assert.ok(b.pid && b.url && b.rssBytes && b.rssBytes > 1 << 20, `${b.label} has a pid, an address and its memory`);
      sandbox().startedGroups.add(b.pid);
    }
  });

  it('gives each site its own session cookie, host-only, as on the real domains', async () => {
    const visits = async (site: string, cookie?: string): Promise<{ visits: number; cookie: string | undefined; setCookie: string[] }> => {
      const answer = await requestVia(port(), hostOf(site), '/visit/', { headers: cookie ? { cookie } : {} });
      assert.equal(answer.status, 200);
      const setCookie = answer.headers['set-cookie'] ?? [];
      return { visits: (JSON.parse(answer.body) as { visits: number }).visits, cookie: setCookie[0]?.split(';')[0] ?? cookie, setCookie };
    };
    const alpha1 = await visits('alpha');
    assert.ok(alpha1.cookie?.startsWith('sessionid='));
    assert.ok(!/domain=/i.test(alpha1.setCookie[0]), 'no Domain attribute: the cookie stays on its own name');
    const alpha2 = await visits('alpha', alpha1.cookie);
    const beta1 = await visits('beta');
    assert.deepEqual([alpha1.visits, alpha2.visits, beta1.visits], [1, 2, 1]);
    assert.notEqual(beta1.cookie, alpha1.cookie);
  });

  it('switching to a warm site retargets the bare address without starting anything', async () => {
    const before = (await status()).project?.backends.map((b) => b.pid).sort();
    const switched = await sandbox().cliJson<SwitchResult>(['switch', 'beta']);
    assert.equal(switched.url, `http://127.0.0.1:${port()}/`);
    assert.equal(h1((await requestVia(port(), `127.0.0.1:${port()}`)).body), 'Beta Shop');
    assert.equal(h1((await requestVia(port(), `localhost:${port()}`)).body), 'Beta Shop');
    const after = await status();
    assert.deepEqual(after.project?.backends.map((b) => b.pid).sort(), before, 'the same warm backends');
    assert.equal(after.project?.backends[0].label, 'Beta Shop', 'most recently used first');
    assert.equal(after.project?.server.pid, after.project?.backends[0].pid);
  });

  it('streams a response as it is produced, passes a 10 MB upload whole and says what was forwarded', async () => {
    const chunks: number[] = [];
    const started = Date.now();
    const text = await new Promise<string>((resolve, reject) => {
      request({ host: '127.0.0.1', port: port(), path: '/stream/', headers: { host: hostOf('gamma') } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          chunks.push(Date.now() - started);
          body += chunk;
        });
        res.on('end', () => resolve(body));
      })
        .on('error', reject)
        .end();
    });
    assert.equal(text, 'Gamma Blog line 0\nGamma Blog line 1\nGamma Blog line 2\n');
    assert.ok(chunks.length >= 3, `the lines came one at a time (${chunks.length} chunks)`);
    assert.ok(chunks[chunks.length - 1] - chunks[0] >= 600, `the first line came before the last was produced (${chunks.join(', ')} ms)`);

    const upload = randomBytes(10 * 1024 * 1024);
    const answer = await requestVia(port(), hostOf('alpha'), '/upload/', {
      method: 'POST',
      body: upload,
      headers: { 'content-type': 'application/octet-stream' },
    });
    assert.equal(answer.status, 200, answer.body.slice(0, 300));
    assert.deepEqual(JSON.parse(answer.body), { site: 'Alpha News', bytes: upload.length, sha256: createHash('sha256').update(upload).digest('hex') });

    const seen = JSON.parse(
      (await requestVia(port(), hostOf('alpha'), '/request-headers/', { headers: { connection: 'keep-alive, x-private', 'x-private': 'hop' } })).body,
    ) as Record<string, string | null>;
    assert.equal(seen.HTTP_HOST, hostOf('alpha'), 'siteId routing passes the browser’s Host on');
    assert.equal(seen.HTTP_X_FORWARDED_FOR, '127.0.0.1');
    assert.equal(seen.HTTP_X_FORWARDED_PROTO, 'http');
    assert.equal(seen.HTTP_X_FORWARDED_HOST, hostOf('alpha'));
  });

  it('answers a .localhost name it does not know with the list of the sites (404), any other name with a bare 421', async () => {
    const answer = await requestVia(port(), `nope.localhost:${port()}`);
    assert.equal(answer.status, 404);
    assert.match(answer.body, /No site of [\w-]+ is called nope\.localhost/);
    assert.deepEqual(await requestVia(port(), `nope.example:${port()}`).then((a) => [a.status, a.body]), [421, 'Misdirected Request\n']);
    for (const site of ['alpha', 'beta', 'gamma']) assert.ok(answer.body.includes(`http://${hostOf(site)}/`));
  });

  it('reports a backend that crashes, with its sentence, while the others keep serving; its next request starts it again', async () => {
    const gamma = await backendOf('Gamma Blog');
    process.kill(-(gamma.pid as number), 'SIGKILL');
    const deadline = Date.now() + 10_000;
    let failed: ProjectState['backends'][number] | undefined;
    while (Date.now() < deadline && failed?.phase !== 'failed') {
      await new Promise((resolve) => setTimeout(resolve, 100));
      failed = (await status()).project?.backends.find((b) => b.label === 'Gamma Blog');
    }
    assert.equal(failed?.phase, 'failed');
    assert.match(failed?.error ?? '', /runserver \(pid \d+\) was stopped by SIGKILL while serving Gamma Blog/);
    assert.equal(groupAlive(gamma.pid as number), false);
    assert.equal(h1((await requestVia(port(), hostOf('alpha'))).body), 'Alpha News');
    assert.equal(h1((await requestVia(port(), hostOf('gamma'))).body), 'Gamma Blog', 'started again on its first request');
    assert.equal((await backendOf('Gamma Blog')).phase, 'running');
  });

  it('keeps at most --warm-sites backends: the least recently used one stops, its whole process group with it', async () => {
    const alpha = await backendOf('Alpha News');
    await sandbox().cliJson<SwitchResult>(['switch', 'beta', '--warm-sites', '2']);
    await requestVia(port(), hostOf('gamma'));
    await sandbox().cliJson<SwitchResult>(['switch', 'gamma', '--warm-sites', '2']);
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && groupAlive(alpha.pid as number)) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(groupAlive(alpha.pid as number), false, 'Alpha News stopped as the least recently used');
    const labels = (await status()).project?.backends.map((b) => b.label);
    assert.deepEqual(labels, ['Gamma Blog', 'Beta Shop']);
  });

  it('stops the proxy and every backend with `stop`, leaving no process behind', async () => {
    const pids = ((await status()).project?.backends ?? []).map((b) => b.pid as number);
    const result = await sandbox().cli(['stop']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(
      pids.map(groupAlive),
      pids.map(() => false),
    );
    assert.deepEqual(sandbox().processesInDemo(), []);
    await assert.rejects(requestVia(port(), hostOf('alpha')));
  });
});

describe('Host routing through the local proxy (real daemon, one real runserver for every site)', function () {
  const port = useFreePort(19_500);
  const sandbox = useSandbox({
    requires: ['django'],
    prepare: (s) => {
      // The demo reads SITE_ID from the environment; multisite.json asks for Host routing instead.
      writeFileSync(path.join(s.demo, 'multisite.json'), '{ "routing": "host" }\n');
    },
  });
  const hostOf = (site: string): string =>
    `${site}.${path
      .basename(sandbox().demo)
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')}.localhost:${port()}`;

  it('probes its one backend with the current site’s domain as Host, so Django answers it: no 500, no traceback in the log', async () => {
    const log = await readServerLog(sandbox());
    try {
      await sandbox().cliJson<SwitchResult>(['switch', 'beta', '--port', String(port())]);
      const backend = (await sandbox().cliJson<StatusJson>(['status'])).project?.backends[0];
      if (backend?.pid) sandbox().startedGroups.add(backend.pid);
      // runserver's access line for the readiness probe (at the path its bootstrap answers, after the project's
      // middleware); with Host 127.0.0.1 the demo's Host middleware found no site and answered 500.
      const probe = await log.waitFor(/"HEAD \/\.multisite-local\/check HTTP\/1\.1" \d{3}/);
      assert.match(probe, /"HEAD \/\.multisite-local\/check HTTP\/1\.1" 200 /, log.lines.join('\n'));
      assert.ok(!log.lines.some((line) => /Traceback|Site matching query does not exist/.test(line)), log.lines.join('\n'));
    } finally {
      log.dispose();
    }
  });

  it('serves every site from one runserver without SITE_ID, the proxy setting Host to the site’s domain', async () => {
    await sandbox().cliJson<SwitchResult>(['switch', 'beta', '--port', String(port())]);
    const state = (await sandbox().cliJson<StatusJson>(['status'])).project;
    assert.equal(state?.strategy, 'host');
    assert.deepEqual(
      state?.backends.map((b) => [b.label, b.site]),
      [['every site', null]],
    );
    if (state?.backends[0].pid) sandbox().startedGroups.add(state.backends[0].pid);
    for (const [site, name] of [
      ['alpha', 'Alpha News'],
      ['beta', 'Beta Shop'],
      ['gamma', 'Gamma Blog'],
    ]) {
      const page = await requestVia(port(), hostOf(site));
      assert.equal(h1(page.body), name);
      assert.match(page.body, /Chosen by the Host header/);
    }
    assert.equal(h1((await requestVia(port(), `127.0.0.1:${port()}`)).body), 'Beta Shop');
    const seen = JSON.parse(
      (await requestVia(port(), hostOf('alpha'), '/request-headers/', { headers: { origin: `http://${hostOf('alpha')}` } })).body,
    ) as Record<string, string | null>;
    assert.equal(seen.HTTP_HOST, 'alpha-news.example');
    assert.equal(seen.HTTP_ORIGIN, 'http://alpha-news.example', 'Origin kept in step with Host (CSRF on Django 4+)');
    assert.equal(seen.HTTP_X_FORWARDED_HOST, hostOf('alpha'));
  });

  it('maps redirects and cookie domains naming a site’s domain back to the address the browser used', async () => {
    const own = await requestVia(port(), hostOf('alpha'), '/go-home/');
    assert.equal(own.status, 302);
    assert.equal(own.headers.location, `http://${hostOf('alpha')}/`);
    const bare = await requestVia(port(), `127.0.0.1:${port()}`, '/go-home/');
    assert.equal(bare.headers.location, `http://127.0.0.1:${port()}/`, 'the bare address serves beta: its redirect stays there');
    const cookie = await requestVia(port(), hostOf('gamma'), '/remember/');
    const line = cookie.headers['set-cookie']?.find((c) => c.startsWith('remembered='));
    assert.ok(line);
    assert.match(line, new RegExp(`; Domain=${hostOf('gamma').split(':')[0].replace(/\./g, '\\.')}(;|$)`));
    const bareCookie = (await requestVia(port(), `127.0.0.1:${port()}`, '/remember/')).headers['set-cookie']?.find((c) => c.startsWith('remembered='));
    assert.ok(bareCookie && !/domain=/i.test(bareCookie), `host-only on the bare address: ${bareCookie}`);
  });
});
