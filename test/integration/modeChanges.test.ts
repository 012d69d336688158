/**
 * Mode changes that fail, and what a mode change reports (real daemon, real
 * runserver, temp hosts files): a change that fails leaves the hosts file as it
 * was before the attempt, a block the user applied by hand included; a compose
 * file whose web port cannot be moved is refused before anything changes;
 * leaving hosts mode while the local proxy serves reports the proxy's address.
 */
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ApplyHosts, DaemonErrorCode, OpenProject, RemoveHosts, SetMode } from '../../protocol/protocol';
import type { ModeResult, ProjectState, StatusResult, SwitchResult } from '../../protocol/protocol';
import { requireComponents } from '../support/components';
import { DaemonSandbox } from '../support/daemonSandbox';
import { FIXTURES } from '../support/demoProject';
import { addFigure } from '../support/figures';
import { fetchText } from '../support/http';
import { useFreePort } from '../support/useFreePort';
import { useSandbox } from '../support/useSandbox';

/** The error a request rejects with (a response error: code and message). */
async function failureOf(request: Promise<unknown>): Promise<{ code?: number; message: string }> {
  return request.then(
    () => assert.fail('the request succeeded'),
    (failure: { code?: number; message: string }) => failure,
  );
}

describe('a mode change that fails (real daemon, a runserver that crashes at import)', function () {
  before(function () {
    requireComponents(this, 'django');
  });

  it('leaves the hosts file exactly as it was: a block the user applied by hand stays, none is left behind', async function () {
    this.timeout(60_000);
    const sandbox = new DaemonSandbox({}, { source: path.join(FIXTURES, 'crash-at-import'), setup: false });
    try {
      const link = await sandbox.connect();
      const root = sandbox.demo;
      const hostsFile = sandbox.hostsFile;
      // /usr/bin/python3 imports Django (the fixture has no virtualenv); its settings then fail at import.
      await link.connection.sendRequest(OpenProject.type, { root, warmSites: 0, trusted: true, pythonPath: '/usr/bin/python3' });

      // The user applied the project's entries by hand (CLI `hosts apply`) before trying hosts mode.
      await link.connection.sendRequest(ApplyHosts.type, { root, hostsFile });
      const applied = readFileSync(hostsFile, 'latin1');
      assert.match(applied, /^127\.0\.0\.1\talpha\.example$/m);
      const failed = await failureOf(link.connection.sendRequest(SetMode.type, { root, mode: 'hosts', hostsFile }));
      assert.equal(failed.code, DaemonErrorCode.ServerFailed, failed.message);
      assert.equal(readFileSync(hostsFile, 'latin1'), applied, 'the block applied by hand is still there, to the byte');

      // Without a block before the attempt, none is left after it.
      await link.connection.sendRequest(RemoveHosts.type, { root, hostsFile });
      const bare = readFileSync(hostsFile, 'latin1');
      assert.doesNotMatch(bare, /alpha\.example/);
      await failureOf(link.connection.sendRequest(SetMode.type, { root, mode: 'hosts', hostsFile }));
      assert.equal(readFileSync(hostsFile, 'latin1'), bare);
      link.dispose();
      addFigure('faults injected', 2);
      addFigure('bytes lost', 0);
    } finally {
      await sandbox.dispose();
    }
  });
});

describe('leaving hosts mode while the local proxy serves (real daemon, real runserver)', function () {
  const port = useFreePort(22_500);
  const sandbox = useSandbox({ requires: ['django'] });

  it('reports the address the current site is served at now, not the stopped hosts-mode server’s', async () => {
    const switched = await sandbox().cliJson<SwitchResult>(['switch', 'beta', '--port', String(port())]);
    assert.equal(switched.url, `http://127.0.0.1:${port()}/`);
    const entered = await sandbox().cliJson<ModeResult>(['mode', 'hosts']);
    assert.equal(entered.state.mode, 'hosts');
    if (entered.state.server.pid) sandbox().startedGroups.add(entered.state.server.pid);

    const left = await sandbox().cliJson<ModeResult>(['mode', 'env']);
    const status = await sandbox().cliJson<StatusResult & { project: ProjectState | null }>(['status']);
    for (const backend of status.project?.backends ?? []) if (backend.pid) sandbox().startedGroups.add(backend.pid);
    assert.equal(left.state.strategy, 'siteIdPerRequest', 'served through the proxy again');
    assert.equal(left.url, `http://127.0.0.1:${port()}/`);
    assert.equal(left.url, left.state.siteUrl);
    assert.match((await fetchText(left.url)).body, /<h1 id="site-name">Beta Shop<\/h1>/);
  });
});

describe('hosts mode for a compose project whose web port cannot be moved (real daemon)', function () {
  const sandbox = useSandbox({
    requires: ['django'],
    prepare: (created) => {
      // The compose demo, but its web service publishes no port: there is none to move to 80.
      const compose = readFileSync(path.join(FIXTURES, 'compose-demo', 'docker-compose.yml'), 'utf8').replace(/^ {4}ports:\n.*\n/m, '');
      writeFileSync(path.join(created.demo, 'docker-compose.yml'), compose);
      writeFileSync(path.join(created.demo, 'multisite.json'), '{ "runner": "compose" }\n');
    },
  });

  it('refuses at once with the compose file’s sentence, and changes nothing', async () => {
    const composeFile = path.join(sandbox().demo, 'docker-compose.yml');
    const compose = readFileSync(composeFile, 'utf8');
    const hosts = readFileSync(sandbox().hostsFile, 'utf8');
    const result = await sandbox().cli(['mode', 'hosts']);
    assert.equal(result.code, 1, result.stdout);
    assert.equal(
      result.stderr.trim(),
      'multisite-local: Hosts mode was not entered, and nothing was changed: docker-compose.yml line 4: the web service publishes no ports.',
    );
    assert.equal(readFileSync(composeFile, 'utf8'), compose);
    assert.equal(readFileSync(sandbox().hostsFile, 'utf8'), hosts);
    // Every write of a hosts file keeps a backup of it in the daemon's home first: there is none.
    assert.deepEqual(
      readdirSync(sandbox().home).filter((name) => name.startsWith('hosts-backup')),
      [],
      'the hosts file was never written',
    );
    assert.equal((await sandbox().cliJson<StatusResult & { project: ProjectState | null }>(['status'])).project?.mode, 'env');
    addFigure('bad inputs tried', 1);
  });
});
