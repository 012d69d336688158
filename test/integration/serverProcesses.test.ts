/**
 * runserver's processes as the daemon sees them (real daemon, real runserver):
 * a member of a server's process group dying takes the whole group down and
 * frees the port; two projects racing for one port each end up served by
 * their own server; a port held by another program is reported with its holder.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import * as path from 'node:path';
import { choosePort } from '../../daemon/runners/freePort';
import { groupAlive } from '../../daemon/base/processGroup';
import { OpenProject, ServerLog } from '../../protocol/protocol';
import type { ProjectState, SwitchResult } from '../../protocol/protocol';
import { useFreePort } from '../support/useFreePort';
import { useSandbox } from '../support/useSandbox';
import { copyDemo } from '../support/demoProject';
import { fetchText, requestVia } from '../support/http';
import type { Answer } from '../support/http';
import { groupMembers } from '../support/processTree';

interface StatusJson {
  server: ProjectState['server'] | null;
  projects: ProjectState[];
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A file runserver serves from the copy (DEBUG static files), so a page tells which copy answered. */
function markCopy(dir: string, text: string): void {
  mkdirSync(path.join(dir, 'demo', 'static'), { recursive: true });
  writeFileSync(path.join(dir, 'demo', 'static', 'which-copy.txt'), text);
}

describe('server processes (real daemon, real runserver)', function () {
  const port = useFreePort(18_500);
  // One runserver restarted per switch; backends behind the proxy are covered in localProxy.test.ts.
  const sandbox = useSandbox({ requires: ['django'], env: { MULTISITE_LOCAL_WARM_SITES: '0' } });

  async function statusUntil(check: (s: StatusJson) => boolean, what: string): Promise<StatusJson> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const status = await sandbox().cliJson<StatusJson>(['status']);
      if (check(status)) return status;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(status.server)}`);
      await sleep(100);
    }
  }

  for (const victim of ['leader', 'autoreloader child'] as const) {
    it(`kill -9 of the ${victim} stops the whole group, frees the port and says so; the next switch gets the same port`, async () => {
      const served = await sandbox().cliJson<SwitchResult>(['switch', 'alpha', '--port', String(port())]);
      assert.equal(served.url, `http://127.0.0.1:${port()}/`);
      const before = await sandbox().cliJson<StatusJson>(['status']);
      const pgid = before.server?.pid;
      assert.ok(pgid);
      sandbox().startedGroups.add(pgid);
      const members = groupMembers(pgid);
      const child = members.find((pid) => pid !== pgid);
      assert.ok(child, `runserver's autoreloader runs the server as a child in the group: ${members.join(', ')}`);
      const journal = readFileSync(path.join(sandbox().home, 'processes.json'), 'utf8');
      assert.match(journal, new RegExp(`"pgid":\\s*${pgid}\\b`));

      process.kill(victim === 'leader' ? pgid : child, 'SIGKILL');

      const after = await statusUntil((s) => s.server?.phase === 'failed', 'status to say failed');
      assert.equal(groupAlive(pgid), false, 'no member of the group survives');
      assert.deepEqual(groupMembers(pgid), []);
      assert.equal(await choosePort(port()), port(), 'the port is free again');
      assert.match(
        after.server?.error ?? '',
        new RegExp(`^runserver \\(pid ${pgid}\\) .+ while serving Alpha News(: .*)?; .+ port ${port()} is free again\\. [^.]+\\.$`),
      );
      assert.doesNotMatch(readFileSync(path.join(sandbox().home, 'processes.json'), 'utf8'), new RegExp(`"pgid":\\s*${pgid}\\b`));

      const again = await sandbox().cliJson<SwitchResult>(['switch', 'alpha', '--port', String(port())]);
      assert.equal(again.url, `http://127.0.0.1:${port()}/`);
      assert.match((await fetchText(again.url)).body, /<h1 id="site-name">Alpha News<\/h1>/);
      const stopped = await sandbox().cli(['stop']);
      assert.equal(stopped.code, 0, stopped.stderr);
    });
  }

  it("imports the project once per server: the gate is runserver's autoreloader parent, and a code edit reloads it in its group", async () => {
    await sandbox().cliJson<SwitchResult>(['switch', 'alpha', '--port', String(port())]);
    const pgid = (await sandbox().cliJson<StatusJson>(['status'])).server?.pid;
    assert.ok(pgid);
    sandbox().startedGroups.add(pgid);
    // Django's own parent imports the settings and every app only to start this child (nearly half a start).
    // The gate is `python -S -c <gate> …`; the server `python [-c <bootstrap>] manage.py runserver …`.
    const djangoProcesses = (): number[] =>
      groupMembers(pgid).filter((pid) => {
        const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        return args[1] !== '-S' && args[args.indexOf('manage.py') + 1] === 'runserver';
      });
    assert.equal(djangoProcesses().length, 1, `one process of the group runs Django: ${groupMembers(pgid).join(', ')}`);
    const [server] = djangoProcesses();
    assert.ok(readFileSync(`/proc/${server}/environ`, 'utf8').split('\0').includes('RUN_MAIN=true'), 'the child runs as the autoreloader child');

    // An edit to the project's code: Django's reloader in the child exits with code 3, the gate starts it again.
    const views = path.join(sandbox().demo, 'demo', 'views.py');
    writeFileSync(
      views,
      `${readFileSync(views, 'utf8')}\n_home = home\n\ndef home(request):\n    response = _home(request)\n    response["X-Edited"] = "yes"\n    return response\n`,
    );
    const deadline = Date.now() + 30_000;
    const page = (): Promise<Answer | null> => requestVia(port(), `127.0.0.1:${port()}`).catch(() => null);
    let answer = await page();
    while (answer?.headers['x-edited'] !== 'yes') {
      if (Date.now() > deadline) throw new Error(`the edit was not served within 30 s: ${JSON.stringify(answer?.headers ?? null)}`);
      await sleep(200);
      answer = await page();
    }
    assert.match(answer.body, /<h1 id="site-name">Alpha News<\/h1>/);
    assert.equal(groupAlive(pgid), true, 'the same group serves');
    assert.notDeepEqual(djangoProcesses(), [server], 'a new child serves');
    assert.equal(djangoProcesses().length, 1);
    assert.equal((await sandbox().cliJson<StatusJson>(['status'])).server?.phase, 'running');
    assert.equal((await sandbox().cli(['stop'])).code, 0);
  });

  it('two projects racing for one port are each served by their own server, on different ports', async () => {
    const other = copyDemo();
    try {
      markCopy(sandbox().demo, 'copy A');
      markCopy(other, 'copy B');
      // Open both first (the daemon starts once), so that the switches themselves race.
      for (const dir of [sandbox().demo, other]) assert.equal((await sandbox().cli(['sites', '--project', dir])).code, 0);
      const racePort = await choosePort(port() + 1);
      const [a, b] = await Promise.all(
        [sandbox().demo, other].map((dir) => sandbox().cli(['switch', 'beta', '--project', dir, '--port', String(racePort), '--json'])),
      );
      assert.equal(a.code, 0, a.stderr);
      assert.equal(b.code, 0, b.stderr);
      const urlA = (JSON.parse(a.stdout) as SwitchResult).url;
      const urlB = (JSON.parse(b.stdout) as SwitchResult).url;
      assert.notEqual(urlA, urlB);
      assert.equal((await fetchText(`${urlA}static/which-copy.txt`)).body, 'copy A');
      assert.equal((await fetchText(`${urlB}static/which-copy.txt`)).body, 'copy B');
      for (const url of [urlA, urlB]) assert.match((await fetchText(url)).body, /<h1 id="site-name">Beta Shop<\/h1>/);
      const status = await sandbox().cliJson<StatusJson>(['status']);
      for (const project of status.projects) if (project.server.pid) sandbox().startedGroups.add(project.server.pid);
      assert.equal((await sandbox().cli(['stop', '--project', other])).code, 0);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('serves on a free port when another program holds the preferred one, and names the holder', async () => {
    const held = await choosePort(port() + 2);
    const holder: Server = createServer((socket) => socket.end('HTTP/1.0 200 OK\r\n\r\nnot django'));
    await new Promise<void>((resolve) => holder.listen(held, '127.0.0.1', resolve));
    const link = await sandbox().connect();
    const lines: string[] = [];
    link.connection.onNotification(ServerLog.type, (line) => lines.push(line.text));
    try {
      // Log lines go to the clients that opened the project.
      await link.connection.sendRequest(OpenProject.type, { root: sandbox().demo });
      const result = await sandbox().cliJson<SwitchResult>(['switch', 'gamma', '--port', String(held)]);
      assert.notEqual(result.url, `http://127.0.0.1:${held}/`);
      assert.match((await fetchText(result.url)).body, /<h1 id="site-name">Gamma Blog<\/h1>/);
      const said = lines.find((line) => line.startsWith(`Port ${held} is in use`));
      assert.match(
        said ?? lines.join('\n'),
        new RegExp(`^Port ${held} is in use by pid ${process.pid} \\(.*node.*\\), so runserver uses port ${new URL(result.url).port}\\.$`),
      );
    } finally {
      link.dispose();
      await new Promise((resolve) => holder.close(resolve));
    }
  });
});
