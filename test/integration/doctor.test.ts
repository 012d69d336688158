/**
 * The doctor with the real daemon and CLI: on the demo project it finds no
 * error in either mode; on the forced-site-id fixture (a literal SITE_ID and a
 * narrow ALLOWED_HOSTS) it names both with their file, line and fix and exits
 * 1; a port held by a listener this test starts, a stale block of another
 * project and a user's own line in a temp hosts file are each found where they
 * are. `mode hosts` says the doctor's findings before switching.
 */
import * as assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { ResponseError } from 'vscode-jsonrpc';
import { DaemonErrorCode, OpenProject, RunDoctor } from '../../protocol/protocol';
import type { DoctorFinding, DoctorReport } from '../../protocol/protocol';
import { FIXTURES } from '../support/demoProject';
import { tempFolder } from '../support/tempProject';
import { useSandbox } from '../support/useSandbox';
import type { DaemonSandbox } from '../support/daemonSandbox';

/** `doctor ... --json` as a script runs it: the report, and the exit code. */
async function doctorJson(sandbox: DaemonSandbox, args: string[]): Promise<{ code: number; report: DoctorReport }> {
  const result = await sandbox.cli(['doctor', ...args, '--json']);
  assert.ok(result.code === 0 || result.code === 1, `exit ${result.code}: ${result.stderr}${result.stdout}`);
  return { code: result.code, report: JSON.parse(result.stdout) as DoctorReport };
}

const errors = (report: DoctorReport): DoctorFinding[] => report.findings.filter((f) => f.severity === 'error');
const only = (report: DoctorReport, code: DoctorFinding['code']): DoctorFinding[] => report.findings.filter((f) => f.code === code);

describe('doctor on the demo project (real daemon, real Django)', function () {
  const sandbox = useSandbox({ requires: ['django'] });

  it('finds no error in SITE_ID mode or in hosts mode, and exits 0', async () => {
    for (const mode of ['env', 'hosts']) {
      const { code, report } = await doctorJson(sandbox(), ['--mode', mode]);
      assert.equal(report.mode, mode);
      assert.deepEqual(errors(report), [], JSON.stringify(report.findings, null, 2));
      assert.equal(code, 0);
    }
    const text = await sandbox().cli(['doctor', sandbox().demo]);
    assert.equal(text.code, 0, text.stderr);
  });

  it('answers over the socket for an open project only, and refuses an unknown mode', async () => {
    const link = await sandbox().connect();
    const other = tempFolder('not-open');
    try {
      const refused = await link.connection.sendRequest(RunDoctor.type, { root: other }).then(
        () => assert.fail('a project that is not open has no doctor report'),
        (error: unknown) => error,
      );
      assert.ok(refused instanceof ResponseError);
      assert.equal(refused.code, DaemonErrorCode.ProjectNotFound);
      await link.connection.sendRequest(OpenProject.type, { root: sandbox().demo });
      const report = await link.connection.sendRequest(RunDoctor.type, { root: sandbox().demo });
      assert.equal(report.mode, 'env', 'the current mode by default');
      assert.equal(report.project.name, path.basename(sandbox().demo));
      const bad = await link.connection.sendRequest(RunDoctor.type, { root: sandbox().demo, mode: 'dns' as 'env' }).catch((error: unknown) => error);
      assert.ok(bad instanceof ResponseError);
      assert.equal(bad.code, DaemonErrorCode.BadRequest);
    } finally {
      link.dispose();
      rmSync(other, { recursive: true, force: true });
    }
  });
});

describe('doctor on a project that forces SITE_ID (test/fixtures/forced-site-id)', function () {
  const sandbox = useSandbox({ requires: ['django'], project: { source: path.join(FIXTURES, 'forced-site-id'), setup: true } });
  const settings = (): string => path.join(sandbox().demo, 'forcedsite', 'settings.py');

  it('reports the forced SITE_ID (with the SITE_ID mode fix) and the refused domains for hosts mode, and exits 1', async () => {
    const { code, report } = await doctorJson(sandbox(), ['--mode', 'hosts']);
    assert.equal(code, 1);
    const [forced] = only(report, 'forced-site-id');
    assert.deepEqual(
      { severity: forced.severity, file: forced.file, line: forced.line, fix: forced.fix },
      { severity: 'error', file: settings(), line: 17, fix: { kind: 'useEnvMode', title: 'Leave Hosts Mode' } },
    );
    const [hosts] = only(report, 'allowed-hosts');
    assert.equal(hosts.file, settings());
    assert.equal(hosts.line, 15);
    for (const domain of ['north-news.example', 'south-shop.example', 'east-blog.example']) assert.ok(hosts.message.includes(domain), hosts.message);
    assert.deepEqual(only(report, 'interpreter'), [], 'the fixture has its .venv');

    const text = await sandbox().cli(['doctor', '--mode', 'hosts']);
    assert.equal(text.code, 1);
    assert.match(text.stdout, /^error +forced-site-id +forcedsite\/settings\.py:17 +forcedsite\/settings\.py:17 forces SITE_ID=1/m);
    assert.match(text.stdout, /^error +allowed-hosts +forcedsite\/settings\.py:15 +ALLOWED_HOSTS /m);
  });

  it('names the process holding the project port', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as { port: number }).port;
      const { report } = await doctorJson(sandbox(), ['--mode', 'env', '--port', String(port)]);
      const [taken] = only(report, 'port-taken');
      assert.ok(taken, JSON.stringify(report.findings, null, 2));
      assert.match(taken.message, new RegExp(`^Port ${port} is in use by pid ${process.pid} \\(`));
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("finds another project's stale block and the user's own line for one of our names in the hosts file", async () => {
    const hostsFile = sandbox().hostsFile;
    writeFileSync(
      hostsFile,
      '127.0.0.1\tlocalhost\n' +
        "10.9.9.9 south-shop.example # the user's own\n" +
        '# >>> multisite-local 0badc0de /projects/long-gone >>>\n127.0.0.1\told-site.example\n::1\told-site.example\n# <<< multisite-local 0badc0de <<<\n',
    );
    const { report } = await doctorJson(sandbox(), ['--mode', 'hosts', '--hosts-file', hostsFile]);
    const [stale] = only(report, 'stale-hosts-entries');
    assert.deepEqual(
      { file: stale.file, line: stale.line, fix: stale.fix },
      { file: hostsFile, line: 3, fix: { kind: 'cleanUpHosts', title: 'Clean Up Hosts Entries' } },
    );
    assert.match(stale.message, /old-site\.example .*\/projects\/long-gone/);
    const [user] = only(report, 'user-hosts-lines');
    assert.deepEqual({ file: user.file, line: user.line, severity: user.severity }, { file: hostsFile, line: 2, severity: 'warning' });
    assert.match(user.message, /maps south-shop\.example itself/);
  });

  it('mode hosts prints the findings as warnings, and still switches', async () => {
    const before = readFileSync(sandbox().hostsFile, 'utf8');
    const result = await sandbox().cli(['mode', 'hosts']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /^warning: forcedsite\/settings\.py:17 forces SITE_ID=1/m);
    assert.match(result.stderr, /^warning: ALLOWED_HOSTS \(forcedsite\/settings\.py:15\)/m);
    assert.equal((result.stderr.match(/forces SITE_ID=1/g) ?? []).length, 1, 'said once, not again as a note');
    const back = await sandbox().cli(['mode', 'env']);
    assert.equal(back.code, 0, back.stderr);
    assert.equal(readFileSync(sandbox().hostsFile, 'utf8'), before, 'our block is gone again');
  });
});
