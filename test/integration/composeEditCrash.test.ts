/**
 * Hosts mode's compose edit killed at every step: a child process makes the
 * daemon's edit (ComposePortEdits with its journal: publish on 80, then
 * restore) and is SIGKILLed just before its first, second, ... last change to
 * the disk (test/support/composeEditWorker.ts). Then the real daemon starts on
 * that home, and its recovery must leave every compose file with its original
 * bytes, no temp file beside it, and nothing left in the journal.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { DaemonHome } from '../../home/daemonHome';
import { DEMO_SOURCE } from '../support/demoProject';
import { addFigure } from '../support/figures';
import { tempFolder } from '../support/tempProject';
import { useSandbox } from '../support/useSandbox';

const WORKER = path.resolve(__dirname, '..', 'support', 'composeEditWorker.ts');

/** A Divio-style file with what must survive: a BOM, CRLF, comments, a merge key, a Latin-1-free accent. */
const ORIGINAL = [
  '\ufeff# Local services (café)',
  'x-django: &django',
  '  env_file: .env-local',
  'services:',
  '  web:',
  '    <<: *django',
  '    build: "."',
  '    ports:',
  '      - "127.0.0.1:8000:80"   # keep it local',
  '  db:',
  '    image: postgres:15',
  '',
].join('\r\n');

interface WorkerEnd {
  signal: NodeJS.Signals | null;
  code: number | null;
  stdout: string;
  stderr: string;
}

function runWorker(home: string, file: string, faultAt: number): Promise<WorkerEnd> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, home, file, String(faultAt)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

describe('the compose edit killed at every step (real daemon recovery)', function () {
  const sandbox = useSandbox({ project: { source: DEMO_SOURCE, setup: false } });
  let projects: string;
  before(() => {
    projects = tempFolder('compose-crash');
  });
  after(() => rmSync(projects, { recursive: true, force: true }));

  const composeFileIn = (name: string): string => {
    const dir = path.join(projects, name);
    mkdirSync(dir);
    const file = path.join(dir, 'docker-compose.yml');
    writeFileSync(file, ORIGINAL);
    return file;
  };

  it('leaves the original bytes after a SIGKILL before any change to the disk, once the daemon starts again', async function () {
    this.timeout(180_000);
    const { home } = sandbox();
    assert.equal((await sandbox().cli(['daemon', 'stop'])).code, 0);

    // A whole edit and restore, counting its changes to the disk.
    const counted = await runWorker(home, composeFileIn('count'), 0);
    assert.equal(counted.code, 0, counted.stderr);
    const { changes } = JSON.parse(counted.stdout) as { changes: number };
    assert.ok(changes >= 8, `the edit and restore made ${changes} changes`);

    // One project per fault, all journaled in the one home, as a daemon with several projects would.
    const files: string[] = [];
    for (let fault = 1; fault <= changes; fault++) {
      const file = composeFileIn(`fault-${fault}`);
      const end = await runWorker(home, file, fault);
      assert.equal(end.signal, 'SIGKILL', `fault ${fault}: the worker was killed (${end.stderr})`);
      files.push(file);
    }
    const journaled = readFileSync(new DaemonHome(home).composeEditsJournal, 'utf8');
    assert.match(journaled, /fault-/, 'some kills left edits in the journal for the daemon to undo');

    const started = await sandbox().cli(['daemon', 'start', '--json']);
    assert.equal(started.code, 0, started.stderr || started.stdout);
    for (const file of files) {
      assert.equal(readFileSync(file, 'utf8'), ORIGINAL, `${path.basename(path.dirname(file))}: the original bytes`);
      assert.deepEqual(readdirSync(path.dirname(file)), ['docker-compose.yml'], `${path.basename(path.dirname(file))}: no temp file left`);
    }
    assert.deepEqual(JSON.parse(readFileSync(new DaemonHome(home).composeEditsJournal, 'utf8')), [], 'nothing left to undo');
    // A file found untouched (killed before its write) is no failure, and blames nobody.
    const log = readFileSync(new DaemonHome(home).logFile, 'utf8');
    assert.match(log, /previous daemon: restored the web port mapping in .*fault-/, 'the daemon restored the files edited when killed');
    assert.doesNotMatch(log, /could not undo/);
    addFigure('faults injected', changes);
    addFigure('bytes lost', 0);
  });
});
