/**
 * A server starts with the first interpreter that exists, before the search
 * for the one that imports Django has answered (issue 22's first switch: the
 * probes no longer sit in front of the start). When that first one cannot run
 * the project, the start is made again with the search's answer: one failed
 * start, said in the project's log, never a wrong server. Real daemon, real
 * Python: the demo's .venv moved to `venv`, and a .venv without Django (as a
 * fresh `python3 -m venv .venv` is) put in front of it.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { OpenProject, ServerLog, SwitchSite } from '../../protocol/protocol';
import type { ProjectState } from '../../protocol/protocol';
import { fetchText } from '../support/http';
import { groupMembers } from '../support/processTree';
import { useSandbox } from '../support/useSandbox';

describe('the interpreter a first start uses (real daemon, real Python)', function () {
  const sandbox = useSandbox({
    requires: ['django'],
    prepare: (s) => {
      renameSync(path.join(s.demo, '.venv'), path.join(s.demo, 'venv'));
      execFileSync('/usr/bin/python3', ['-m', 'venv', '--without-pip', path.join(s.demo, '.venv')]);
      // The environment with Django is slow to start (as one with many .pth files is), so its probe
      // answers well after the first start failed: without it, the search could answer first on a
      // busy machine, the start would need no second try, and this test would not see one.
      const lib = path.join(s.demo, 'venv', 'lib');
      for (const version of readdirSync(lib)) writeFileSync(path.join(lib, version, 'site-packages', 'slow-start.pth'), 'import time; time.sleep(1.5)\n');
    },
  });

  it('starts with the first that exists and, when it cannot import Django, again with the one that can', async function () {
    this.timeout(60_000);
    const link = await sandbox().connect();
    const lines: string[] = [];
    link.connection.onNotification(ServerLog.type, (line) => lines.push(line.text));
    try {
      // As the CLI's first switch does: the open reads Django in the background, the switch follows at once.
      await link.connection.sendRequest(OpenProject.type, { root: sandbox().demo, sitesFirst: true });
      const served = await link.connection.sendRequest(SwitchSite.type, { root: sandbox().demo, site: 'beta' });
      assert.match((await fetchText(served.url)).body, /<h1 id="site-name">Beta Shop<\/h1>/);

      const venvPython = path.join(sandbox().demo, 'venv', 'bin', 'python');
      const status = await sandbox().cliJson<{ projects: ProjectState[] }>(['status']);
      const pgid = status.projects[0]?.backends.find((b) => b.site === 'beta')?.pid ?? status.projects[0]?.server.pid;
      assert.ok(pgid, JSON.stringify(status.projects[0]));
      sandbox().startedGroups.add(pgid);
      const commands = groupMembers(pgid).map((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0]);
      assert.ok(commands.length > 0 && commands.every((command) => command === venvPython), `the server runs ${venvPython}: ${commands.join(', ')}`);
      const dotVenv = path.join(sandbox().demo, '.venv', 'bin', 'python');
      assert.ok(
        lines.some((line) => line === `${dotVenv} could not start the server; starting it with ${venvPython}, which imports Django`),
        `the log says why the start was made again:\n${lines.join('\n')}`,
      );
    } finally {
      link.dispose();
    }
  });
});
