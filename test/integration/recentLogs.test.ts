/**
 * A project's recent log lines through the real daemon (issue 23): what the
 * servers said before a client connected is there for it (RecentLogs), each
 * line with the daemon's time, so a window opened later shows it.
 */
import * as assert from 'node:assert/strict';
import { OpenProject, RecentLogs } from '../../protocol/protocol';
import { useFreePort } from '../support/useFreePort';
import { useSandbox } from '../support/useSandbox';

describe('recent log lines of a project the daemon serves', function () {
  this.timeout(120_000);
  const sandbox = useSandbox({ requires: ['django'], env: { MULTISITE_LOCAL_WARM_SITES: '0' } });
  const port = useFreePort(19_500);

  it('are kept for a client that comes later, oldest first, each with the time the daemon got it', async () => {
    const before = Date.now();
    const served = await sandbox().cli(['switch', 'beta', '--port', String(port())]);
    assert.equal(served.code, 0, served.stderr);
    const link = await sandbox().connect();
    try {
      const { project } = await link.connection.sendRequest(OpenProject.type, { root: sandbox().demo });
      const lines = await link.connection.sendRequest(RecentLogs.type, { root: project.root });
      // runserver's own start line, said before this client connected.
      assert.ok(
        lines.some((l) => /Starting development server at http:\/\/127\.0\.0\.1:\d+\//.test(l.text)),
        lines.map((l) => l.text).join('\n'),
      );
      for (const l of lines) {
        assert.equal(l.root, project.root);
        assert.ok(l.time !== undefined && l.time >= before && l.time <= Date.now(), `${l.text}: time ${l.time}`);
      }
      const times = lines.map((l) => l.time ?? 0);
      assert.deepEqual(
        times,
        [...times].sort((a, b) => a - b),
        'oldest first',
      );
    } finally {
      link.dispose();
      await sandbox().cli(['stop']);
    }
  });
});
