/**
 * The session's orchestration in process, with a fake Runner whose starts
 * answer or fail when the test says so: superseded switches, failed starts,
 * hosts mode rolled back whole, and which mode changes restart the server.
 * Hosts entries are real (a temp hosts file, a temp daemon home); no Python.
 */
import { SitePortBook } from '../../../../daemon/proxy/sitePortBook';
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ComposePortEdits } from '../../../../daemon/compose/composePortEdits';
import { HostsEntries } from '../../../../daemon/hosts/hostsEntries';
import { ProjectSession } from '../../../../daemon/session/projectSession';
import { DaemonErrorCode } from '../../../../protocol/protocol';
import { FakeRunners } from '../../../support/fakeRunner';
import { daemonErrorOf } from '../../../support/daemonErrorOf';
import { projectCodeIn } from '../../../support/projectCode';

const SETTINGS = `DJANGO_MULTISITE_PLUS_SITES = {
    "shop": {"id": 2, "real_domain": "shop.test", "name": "Shop"},
    "blog": {"id": 1, "real_domain": "blog.test", "name": "Blog"},
}
`;
const HOSTS = "127.0.0.1 localhost\n# the user's own line\n";

describe('ProjectSession restarting one server per switch, with a fake runner', () => {
  let dir: string;
  let hostsFile: string;
  let runners: FakeRunners;
  let session: ProjectSession;
  let hosts: HostsEntries;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'msl-session-'));
    const root = path.join(dir, 'project');
    mkdirSync(path.join(root, 'proj'), { recursive: true });
    writeFileSync(path.join(root, 'manage.py'), 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n');
    writeFileSync(path.join(root, 'proj', 'settings.py'), SETTINGS);
    const home = path.join(dir, 'home');
    mkdirSync(home);
    hostsFile = path.join(dir, 'hosts');
    writeFileSync(hostsFile, HOSTS);
    runners = new FakeRunners();
    hosts = new HostsEntries(home);
    session = new ProjectSession(
      root,
      runners.factory,
      { hosts, composePorts: new ComposePortEdits(home), projectCode: projectCodeIn(home), portBook: new SitePortBook(home) },
      { stateChanged: () => undefined, sitesChanged: () => undefined, log: () => undefined, previewBlocked: () => undefined },
    );
    // Untrusted: the Sites table (project code) is never read.
    await session.open({ root, trusted: false, port: 8123, warmSites: 0 });
  });

  afterEach(async () => {
    await session.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Switches to `site` and lets its server answer. */
  const serve = (site: string): Promise<unknown> => runners.answered(session.serving.switchTo(site));

  it('serves a site with its SITE_ID once its server answers', async () => {
    const switched = session.serving.switchTo('shop');
    const start = await runners.next();
    assert.deepEqual({ siteId: start.request.siteId, label: start.request.label }, { siteId: 2, label: 'Shop' });
    assert.equal(session.state().server.phase, 'starting');
    const server = await start.answer();
    const result = await switched;
    assert.equal(result.url, 'http://127.0.0.1:8123/');
    assert.deepEqual(session.state().server, { phase: 'running', pid: server.pid, url: server.url, error: null });
  });

  it('a newer switch replaces one waiting for its server: the old one gets Superseded', async () => {
    const first = session.serving.switchTo('shop');
    const firstStart = await runners.next();
    const oldServer = await firstStart.spawn();
    const second = session.serving.switchTo('blog');
    const error = await daemonErrorOf(first);
    assert.equal(error.code, DaemonErrorCode.Superseded);
    assert.equal(error.message, 'Serving Shop was replaced by a newer request.');
    const secondStart = await runners.next();
    assert.equal(oldServer.stopped, true, 'the superseded server was not stopped before the next start');
    assert.equal(secondStart.request.siteId, 1);
    await secondStart.answer();
    assert.equal((await second).site.slug, 'blog');
    assert.equal(session.state().server.phase, 'running');
    assert.equal(session.state().currentSite?.slug, 'blog');
  });

  it('a failed start leaves the state failed with the sentence, and nothing running', async () => {
    const switched = session.serving.switchTo('shop');
    const start = await runners.next();
    const server = await start.spawn();
    start.fail('runserver exited with code 1 before it answered');
    const error = await daemonErrorOf(switched);
    const sentence = 'Serving Shop failed: runserver exited with code 1 before it answered.';
    assert.equal(error.code, DaemonErrorCode.ServerFailed);
    assert.equal(error.message, sentence);
    assert.equal(session.state().server.phase, 'failed');
    assert.equal(session.state().server.error, sentence);
    assert.equal(server.stopped, true);
    assert.equal(session.isServing, false);
  });

  it('a server that ends on its own after answering makes the state failed with its sentence', async () => {
    await serve('shop');
    runners.starts[0].exit('runserver (pid 1) exited with code 1 while serving Shop.');
    assert.equal(session.state().server.phase, 'failed');
    assert.equal(session.state().server.error, 'runserver (pid 1) exited with code 1 while serving Shop.');
    assert.equal(session.isServing, false);
  });

  it('a failed `mode hosts` is rolled back whole: hosts file, mode, notes and the server as it was', async () => {
    await serve('shop');
    const changed = session.serving.setMode({ mode: 'hosts', hostsFile });
    const hostsStart = await runners.next();
    assert.equal(hostsStart.request.siteId, null);
    assert.match(readFileSync(hostsFile, 'utf8'), /shop\.test/, 'the entries were not applied before the server started');
    assert.equal(session.state().mode, 'hosts');
    hostsStart.fail('port 80 is in use by nginx (pid 1)');
    // The server as it was: SITE_ID mode, the same site, started again.
    const again = await runners.next();
    assert.equal(again.request.siteId, 2);
    await again.answer();
    const error = await daemonErrorOf(changed);
    assert.equal(error.message, 'Serving every site failed: port 80 is in use by nginx (pid 1).');
    assert.equal(readFileSync(hostsFile, 'utf8'), HOSTS);
    assert.deepEqual(await hosts.show(hostsFile), []);
    const state = session.state();
    assert.deepEqual([state.mode, state.hostsFile, state.notes, state.server.phase], ['env', null, [], 'running']);
  });

  it('entering hosts mode serves every site without SITE_ID; leaving it restarts a running server with SITE_ID', async () => {
    await serve('shop');
    const entered = session.serving.setMode({ mode: 'hosts', hostsFile });
    const start = await runners.next();
    await start.answer();
    const result = await entered;
    assert.equal(result.state.mode, 'hosts');
    assert.equal(result.state.hostsFile, hostsFile);
    assert.equal(result.url, `http://shop.test${start.port === 80 ? '' : `:${start.port}`}/`);
    // The probe names the current site as the browser will, not 127.0.0.1 (no site: Django logs a 500).
    assert.deepEqual([start.request.readyHost?.(80), start.request.readyHost?.(8123)], ['shop.test', 'shop.test:8123']);
    // A switch in hosts mode only changes the current site: no start.
    await session.serving.switchTo('blog');
    assert.equal(runners.starts.length, 2);

    const left = session.serving.setMode({ mode: 'env' });
    const back = await runners.next();
    assert.equal(back.request.siteId, 1);
    assert.equal(back.request.readyHost, undefined, 'SITE_ID picks the site: the default probe');
    await back.answer();
    assert.equal((await left).state.mode, 'env');
    assert.equal(readFileSync(hostsFile, 'utf8'), HOSTS);
  });

  it('leaving hosts mode with the server stopped starts nothing', async () => {
    await serve('shop');
    const entered = session.serving.setMode({ mode: 'hosts', hostsFile });
    await (await runners.next()).answer();
    await entered;
    await session.serving.stop();
    const result = await session.serving.setMode({ mode: 'env' });
    assert.equal(runners.starts.length, 2);
    assert.deepEqual([result.state.mode, result.state.server.phase, result.state.hostsFile], ['env', 'stopped', null]);
    assert.equal(readFileSync(hostsFile, 'utf8'), HOSTS);
  });

  it('a compose project: entering hosts mode edits the web port (when 80 is free), and a failed start puts the file back to the byte', async () => {
    const root = session.root;
    await session.close();
    const compose = '# ours\nservices:\n  web:\n    image: x   # kept\n    ports:\n      - "127.0.0.1:8000:80"   # Django\n';
    writeFileSync(path.join(root, 'docker-compose.yml'), compose);
    writeFileSync(path.join(root, 'multisite.json'), '{ "runner": "compose" }\n');
    const home = path.join(dir, 'home');
    session = new ProjectSession(
      root,
      runners.factory,
      { hosts, composePorts: new ComposePortEdits(home), projectCode: projectCodeIn(home), portBook: new SitePortBook(home) },
      { stateChanged: () => undefined, sitesChanged: () => undefined, log: () => undefined, previewBlocked: () => undefined },
    );
    await session.open({ root, trusted: false, warmSites: 0 });
    const changed = session.serving.setMode({ mode: 'hosts', hostsFile });
    const start = await runners.next();
    assert.equal(start.request.port, undefined, 'compose picks its port through the compose file, not a port callback');
    const edited = readFileSync(path.join(root, 'docker-compose.yml'), 'utf8');
    const notes = session.state().notes.join(' ');
    if (edited !== compose) assert.match(notes, /published on port 80 while in hosts mode/);
    else assert.match(notes, /keeps port 8000/);
    start.fail('the web service did not answer');
    await daemonErrorOf(changed);
    assert.equal(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), compose);
    assert.equal(readFileSync(hostsFile, 'utf8'), HOSTS);
    assert.equal(session.state().mode, 'env');
  });
});
