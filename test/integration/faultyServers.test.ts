/**
 * Servers that never come up (real daemon, real runserver of three small
 * fixture projects): one crashes at import (its settings import a module
 * nobody created), one hangs before it binds its port (a middleware waits
 * when the handler is built), one binds its port but never answers HTTP.
 * With a short MULTISITE_LOCAL_READY_TIMEOUT_MS, the switch fails with one
 * sentence carrying the server's last lines, nothing of the server is left
 * running, and its port can be bound again: served by one runserver
 * restarted per switch (the project's port) and behind the proxy (the
 * backend's own port).
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DaemonErrorCode, OpenProject, ServerLog, SwitchSite } from '../../protocol/protocol';
import { choosePort } from '../../daemon/runners/freePort';
import { requireComponents } from '../support/components';
import { DaemonSandbox } from '../support/daemonSandbox';
import { FIXTURES } from '../support/demoProject';
import { addFigure } from '../support/figures';
import { childrenOf } from '../support/processTree';

const READY_TIMEOUT_MS = 3000;

const FAULTS = [
  {
    fixture: 'crash-at-import',
    how: 'crashes at import',
    sentence: /^Serving Alpha failed: runserver exited with code 1 before it answered: .*ModuleNotFoundError: No module named 'crashing\.local_secrets'\.$/,
  },
  {
    fixture: 'hang-at-start',
    how: 'hangs before it binds its port',
    sentence:
      /^Serving Alpha failed: runserver did not answer at http:\/\/127\.0\.0\.1:\d+\/ within 3 s: .*Waiting for the licence server at licence\.internal:7070 \.\.\.$/,
  },
  {
    fixture: 'never-answers',
    how: 'binds its port but never answers',
    sentence:
      /^Serving Alpha failed: runserver did not answer at http:\/\/127\.0\.0\.1:\d+\/ within 3 s: .*Starting development server at http:\/\/127\.0\.0\.1:\d+\/.*\.$/,
  },
];

describe('servers that crash, hang or never answer (real daemon, real runserver)', function () {
  before(function () {
    requireComponents(this, 'django');
  });

  for (const { fixture, how, sentence } of FAULTS) {
    for (const warmSites of [0, 3]) {
      const served = warmSites === 0 ? 'one runserver restarted per switch' : 'a backend behind the proxy';
      it(`a server that ${how} (${served}): the switch fails with its last lines, nothing is left, its port is free`, async function () {
        this.timeout(60_000);
        const sandbox = new DaemonSandbox(
          { MULTISITE_LOCAL_READY_TIMEOUT_MS: String(READY_TIMEOUT_MS) },
          { source: path.join(FIXTURES, fixture), setup: false },
        );
        try {
          const link = await sandbox.connect();
          const lines: string[] = [];
          link.connection.onNotification(ServerLog.type, (line) => lines.push(line.text));
          const root = sandbox.demo;
          const port = await choosePort(21_000 + (process.pid % 1000));
          // /usr/bin/python3 imports Django (the fixtures have no virtualenv).
          await link.connection.sendRequest(OpenProject.type, { root, port, warmSites, trusted: true, pythonPath: '/usr/bin/python3' });
          const started = Date.now();
          const error = await link.connection.sendRequest(SwitchSite.type, { root, site: 'alpha' }).then(
            () => assert.fail('the switch succeeded'),
            (failure: { code?: number; message: string }) => failure,
          );
          console.log(`      failed after ${Date.now() - started} ms: ${error.message}`);
          assert.equal(error.code, DaemonErrorCode.ServerFailed);
          assert.match(error.message, sentence);
          const ports = lines.flatMap((line) => /^Starting runserver on port (\d+) /.exec(line)?.[1] ?? []).map(Number);
          assert.equal(ports.length, 1, lines.join('\n'));
          if (warmSites === 0) assert.equal(ports[0], port, "the project's own port");

          assert.deepEqual(childrenOf(sandbox.daemonPid() as number), [], 'the daemon has no child left');
          assert.deepEqual(sandbox.processesInDemo(), [], 'no process left in the project');
          assert.deepEqual(JSON.parse(readFileSync(path.join(sandbox.home, 'processes.json'), 'utf8')), []);
          assert.equal(await choosePort(ports[0]), ports[0], `port ${ports[0]} can be bound again`);
          link.dispose();
          addFigure('faults injected', 1);
        } finally {
          await sandbox.dispose();
        }
      });
    }
  }
});
