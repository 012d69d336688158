/**
 * Runs of the project's code (runners/projectCode.ts) with real Python: in
 * the process journal, under the command line recovery checks, for as long as
 * their process group lives; what they started is stopped with them, whether
 * they end, are stopped or time out; nothing is journaled for a run that could
 * not start.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { ProcessJournal } from '../../../../daemon/journal/processJournal';
import type { JournalEntry } from '../../../../daemon/journal/processJournal';
import { processIdentity } from '../../../../home/processIdentity';
import { groupAlive, killGroup } from '../../../../daemon/base/processGroup';
import type { ProjectCode, ProjectCodeRun, ProjectCodeSpec } from '../../../../daemon/runners/projectCode';
import { projectCodeIn } from '../../../support/projectCode';
import { waitFor } from '../../../support/processes';
import { tempFolder } from '../../../support/tempProject';

/** Starts a grandchild that would outlive it (`sleep 600`), says so on stdout, then `then`. */
const withGrandchild = (then: string): string =>
  ['import subprocess, sys, time', 'subprocess.Popen(["sleep", "600"])', 'print("started", flush=True)', then].join('\n');

describe('runs of the project code', function () {
  // A stopped group's orphaned member is reaped by PID 1, which takes a second or two on some machines.
  this.timeout(20_000);
  let dir: string;
  const groups: number[] = [];
  beforeEach(() => (dir = tempFolder('project-code')));
  afterEach(async () => {
    for (const pgid of groups.splice(0)) if (groupAlive(pgid)) await killGroup(pgid, 500);
    rmSync(dir, { recursive: true, force: true });
  });

  const journal = (): JournalEntry[] => {
    const file = path.join(dir, 'processes.json');
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as JournalEntry[]) : [];
  };
  const spec = (script: string, timeoutMs = 600_000): ProjectCodeSpec => ({
    python: '/usr/bin/python3',
    args: ['-c', script],
    root: dir,
    env: process.env,
    timeoutMs,
    label: 'test run',
  });

  /** Starts `script` and waits until it has started its grandchild (it prints "started"). */
  async function startedWithGrandchild(script: string): Promise<{ run: ProjectCodeRun; pgid: number }> {
    const run = projectCode().start(spec(script));
    const pgid = run.child.pid as number;
    groups.push(pgid);
    let stdout = '';
    run.child.stdout.setEncoding('utf8');
    run.child.stdout.on('data', (chunk: string) => (stdout += chunk));
    await waitFor('the run to start its grandchild', () => stdout.includes('started'));
    return { run, pgid };
  }

  it('is journaled under its own command line while its group lives, and stopped with what it started when asked', async () => {
    const script = withGrandchild('time.sleep(600)');
    const { run, pgid } = await startedWithGrandchild(script);
    const [entry] = journal();
    assert.deepEqual({ ...entry, start: undefined }, { pgid, root: dir, marker: `-c ${script}`, label: 'test run', start: undefined });
    // The gate exec'd the run: same process, now with the command line the marker names (what recovery checks).
    assert.equal(processIdentity(pgid)?.start, entry.start);
    assert.ok(processIdentity(pgid)?.command.includes(entry.marker));
    run.stop();
    const end = await run.ended;
    assert.equal(end.stopped, 'asked');
    assert.equal(groupAlive(pgid), false, 'the grandchild went with it');
    assert.deepEqual(journal(), []);
  });

  it("is recognised by the next daemon's recovery and stopped, even with a script that ends in a newline", async () => {
    const { run, pgid } = await startedWithGrandchild(`${withGrandchild('time.sleep(600)')}\n`);
    // What the next daemon does with the journal a killed one left.
    const recovery = await new ProcessJournal(path.join(dir, 'processes.json')).recover();
    assert.deepEqual(recovery.done, [`stopped an orphaned test run: process group ${pgid} (${dir})`]);
    assert.equal(groupAlive(pgid), false);
    await run.ended;
  });

  it('stops the whole group when it takes longer than its time', async () => {
    const run = projectCode().start(spec(withGrandchild('time.sleep(600)'), 300));
    groups.push(run.child.pid as number);
    const end = await run.ended;
    assert.equal(end.stopped, 'timeout');
    assert.equal(groupAlive(run.child.pid as number), false);
    assert.deepEqual(journal(), []);
  });

  it('gives the output and exit code of a run that ends, and stops what it left running', async () => {
    const run = projectCode().start(spec(withGrandchild('print("bücher"); sys.exit(3)')));
    groups.push(run.child.pid as number);
    let stdout = '';
    run.child.stdout.setEncoding('utf8');
    run.child.stdout.on('data', (chunk: string) => (stdout += chunk));
    const end = { ...(await run.ended), stdout };
    assert.equal(groupAlive(run.child.pid as number), false, 'the grandchild it left was stopped');
    assert.deepEqual({ code: end.code, stopped: end.stopped, stdout: end.stdout }, { code: 3, stopped: null, stdout: 'started\nbücher\n' });
    assert.deepEqual(journal(), []);
  });

  it('journals nothing for an interpreter that does not exist, and says why', async () => {
    const end = await projectCode().run({ ...spec('print(1)'), python: path.join(dir, 'no-python') });
    assert.match(end.error?.message ?? '', /ENOENT/);
    assert.deepEqual(journal(), []);
  });

  const projectCode = (): ProjectCode => projectCodeIn(dir);
});
