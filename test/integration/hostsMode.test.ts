/**
 * Hosts mode with the real daemon and runserver on a temp hosts file, and real
 * name resolution through it in a private mount namespace (no other process
 * sees it; the machine's /etc/hosts is never written).
 */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { groupAlive } from '../../daemon/base/processGroup';
import { isAlive } from '../../home/processIdentity';
import type { HostsEdit, ModeResult, SwitchResult } from '../../protocol/protocol';
import { CLI } from '../support/cli';
import { useSandbox } from '../support/useSandbox';
import { fetchText } from '../support/http';
import { readServerLog } from '../support/serverLog';
import { tempFolder } from '../support/tempProject';

interface StatusJson {
  mode: string;
  server: { pid: number; url: string; phase: string };
  hostsFile: string | null;
}

const ORIGINAL = "\uFEFF# hosts of a test machine\r\n127.0.0.1\tlocalhost\r\n10.9.9.9 beta-shop.example # the user's own";

/** GETs `url` from a process whose /etc/hosts is `hostsFile` (private mount namespace). */
function fetchThroughHosts(hostsFile: string, url: string): Promise<string> {
  const script = `require('http').get(process.argv[1], (r) => { let b = ''; r.on('data', (c) => (b += c)); r.on('end', () => process.stdout.write(b)); }).on('error', (e) => { console.error(e.message); process.exit(1); });`;
  return new Promise((resolve, reject) => {
    // $1.. are passed as arguments, never spliced into the shell text.
    execFile(
      'unshare',
      ['-m', 'sh', '-c', 'mount --bind "$1" /etc/hosts && exec "$2" -e "$3" "$4"', 'sh', hostsFile, process.execPath, script, url],
      { timeout: 20_000 },
      (error, stdout, stderr) => (error ? reject(new Error(`${error.message}: ${stderr}`)) : resolve(stdout)),
    );
  });
}

describe('hosts mode (real daemon, runserver, temp hosts file)', function () {
  const sandbox = useSandbox({ requires: ['django'], prepare: (created) => writeFileSync(created.hostsFile, ORIGINAL) });

  it('shows the change as a diff with --dry-run and writes nothing', async () => {
    const result = await sandbox().cli(['hosts', 'apply', '--dry-run']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^\+127\.0\.0\.1\talpha-news\.example\r?$/m);
    assert.match(result.stdout, /^\+::1\tgamma-blog\.example\r?$/m);
    assert.match(result.stderr, /already maps beta-shop\.example/);
    assert.equal(readFileSync(sandbox().hostsFile, 'utf8'), ORIGINAL);
  });

  it('routes by domain: entries for every local domain, no forced SITE_ID, each domain resolving to its site', async () => {
    const result = await sandbox().cliJson<ModeResult>(['mode', 'hosts']);
    assert.equal(result.state.mode, 'hosts');
    assert.equal(result.state.hostsFile, sandbox().hostsFile);
    const hosts = readFileSync(sandbox().hostsFile, 'utf8');
    assert.ok(hosts.startsWith(ORIGINAL), 'every original byte is still there');
    for (const name of ['alpha-news.example', 'www.alpha-news.example', 'beta-shop.example', 'gamma-blog.example', 'blog.gamma-blog.example']) {
      assert.ok(hosts.includes(`127.0.0.1\t${name}\r\n::1\t${name}\r\n`), `${name} in:\n${hosts}`);
    }
    assert.ok(
      result.state.notes.some((n) => n.includes('already maps beta-shop.example')),
      'the user line for the same name is reported',
    );
    const status = await sandbox().cliJson<StatusJson>(['status']);
    sandbox().startedGroups.add(status.server.pid);
    const port = new URL(status.server.url).port || '80';
    const suffix = port === '80' ? '' : `:${port}`;

    // A private /etc/hosts without the user's conflicting line, so our entries decide.
    const resolvable = `${sandbox().hostsFile}.ns`;
    writeFileSync(resolvable, hosts.replace(/^10\.9\.9\.9.*$/m, ''));
    for (const [domain, name] of [
      ['alpha-news.example', 'Alpha News'],
      ['www.alpha-news.example', 'Alpha News'],
      ['beta-shop.example', 'Beta Shop'],
      ['blog.gamma-blog.example', 'Gamma Blog'],
    ]) {
      const page = await fetchThroughHosts(resolvable, `http://${domain}${suffix}/`);
      assert.match(page, new RegExp(`<h1 id="site-name">${name}</h1>`), domain);
      assert.match(page, /Chosen by the Host header/);
    }
  });

  it('switches sites in hosts mode without restarting the server', async () => {
    const before = await sandbox().cliJson<StatusJson>(['status']);
    const switched = await sandbox().cliJson<SwitchResult>(['switch', 'gamma']);
    assert.equal(switched.mode, 'hosts');
    assert.match(switched.url, /^http:\/\/gamma-blog\.example(:\d+)?\/$/);
    const after = await sandbox().cliJson<StatusJson>(['status']);
    assert.equal(after.server.pid, before.server.pid, 'same server process');
  });

  it('goes back to SITE_ID mode: entries gone to the byte, the current site forced again', async () => {
    const hostsServer = (await sandbox().cliJson<StatusJson>(['status'])).server.pid;
    const result = await sandbox().cliJson<ModeResult>(['mode', 'env']);
    assert.equal(result.state.mode, 'env');
    assert.equal(result.state.hostsFile, null);
    assert.equal(readFileSync(sandbox().hostsFile, 'utf8'), ORIGINAL);
    assert.equal(groupAlive(hostsServer), false);
    const status = await sandbox().cliJson<StatusJson>(['status']);
    sandbox().startedGroups.add(status.server.pid);
    assert.match((await fetchText(status.server.url)).body, /<h1 id="site-name">Gamma Blog<\/h1>[\s\S]*Chosen by the SITE_ID/);
  });

  it('cleans up every block it wrote (all projects) and leaves hosts mode', async () => {
    await sandbox().cliJson<ModeResult>(['mode', 'hosts']);
    const status = await sandbox().cliJson<StatusJson>(['status']);
    sandbox().startedGroups.add(status.server.pid);
    const dry = await sandbox().cli(['cleanup', '--dry-run']);
    assert.match(dry.stdout, /^-# >>> multisite-local /m);
    assert.notEqual(readFileSync(sandbox().hostsFile, 'utf8'), ORIGINAL);
    const changes = await sandbox().cliJson<HostsEdit[]>(['cleanup']);
    assert.deepEqual(
      changes.map((c) => [c.file, c.changed]),
      [[sandbox().hostsFile, true]],
    );
    assert.equal(readFileSync(sandbox().hostsFile, 'utf8'), ORIGINAL);
    assert.equal((await sandbox().cliJson<StatusJson>(['status'])).mode, 'env');
  });

  it('writes in place where the hosts file is a bind mount, as inside containers', async () => {
    const home = tempFolder('bind');
    try {
      const source = path.join(home, 'real-hosts');
      const target = path.join(home, 'mounted-hosts');
      writeFileSync(source, '127.0.0.1 localhost\n');
      writeFileSync(target, 'not mounted\n');
      // In a private mount namespace: bind `source` onto `target`, then the CLI (and the daemon
      // it starts there) apply and stop. Renaming onto a mount point fails (EBUSY).
      // The daemon removes its entries when it stops, so the file is shown (cat) before that.
      const script = 'mount --bind "$1" "$2" && "$3" "$4" hosts apply --project "$5" --hosts-file "$2" >&2 && cat "$1" && "$3" "$4" daemon stop >&2';
      const shown = await new Promise<string>((resolve, reject) =>
        execFile(
          'unshare',
          ['-m', 'sh', '-c', script, 'sh', source, target, process.execPath, CLI, sandbox().demo],
          { env: { ...process.env, MULTISITE_LOCAL_HOME: path.join(home, 'daemon') }, timeout: 60_000 },
          (error, stdout, stderr) => (error ? reject(new Error(`${error.message}: ${stderr}`)) : resolve(stdout)),
        ),
      );
      assert.match(shown, /^127\.0\.0\.1 localhost\n# >>> multisite-local [0-9a-f]{8} [\s\S]*127\.0\.0\.1\tbeta-shop\.example\n/);
      assert.equal(readFileSync(source, 'utf8'), '127.0.0.1 localhost\n', 'and removed in place when the daemon stopped');
      assert.equal(readFileSync(target, 'utf8'), 'not mounted\n', 'outside the namespace the mount point is untouched');
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('probes the new server with a site’s Host, so Django answers it as that site: no 500, no traceback in the log', async () => {
    const log = await readServerLog(sandbox());
    try {
      await sandbox().cliJson<ModeResult>(['mode', 'hosts']);
      sandbox().startedGroups.add((await sandbox().cliJson<StatusJson>(['status'])).server.pid);
      // runserver's access line for the readiness probe (at the path its bootstrap answers, after the project's
      // middleware); with Host 127.0.0.1 the demo's Host middleware found no site and answered 500.
      const probe = await log.waitFor(/"HEAD \/\.multisite-local\/check HTTP\/1\.1" \d{3}/);
      assert.match(probe, /"HEAD \/\.multisite-local\/check HTTP\/1\.1" 200 /, log.lines.join('\n'));
      assert.ok(!log.lines.some((line) => /Traceback|Site matching query does not exist/.test(line)), log.lines.join('\n'));
      assert.equal((await sandbox().cliJson<ModeResult>(['mode', 'env'])).state.mode, 'env');
    } finally {
      log.dispose();
    }
  });

  it('removes its entries when the daemon stops, and after a crash on the next start', async () => {
    await sandbox().cliJson<ModeResult>(['mode', 'hosts']);
    sandbox().startedGroups.add((await sandbox().cliJson<StatusJson>(['status'])).server.pid);
    assert.equal((await sandbox().cli(['daemon', 'stop'])).code, 0);
    assert.equal(readFileSync(sandbox().hostsFile, 'utf8'), ORIGINAL, 'daemon stop cleans up');

    await sandbox().cliJson<ModeResult>(['mode', 'hosts']);
    sandbox().startedGroups.add((await sandbox().cliJson<StatusJson>(['status'])).server.pid);
    const crashed = sandbox().daemonPid();
    assert.ok(crashed);
    process.kill(crashed, 'SIGKILL');
    while (isAlive(crashed)) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.notEqual(readFileSync(sandbox().hostsFile, 'utf8'), ORIGINAL, 'a crash leaves the entries');
    assert.equal((await sandbox().cli(['daemon', 'start'])).code, 0);
    assert.equal(readFileSync(sandbox().hostsFile, 'utf8'), ORIGINAL, 'the next daemon removed them');
  });
});
