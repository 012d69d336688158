/**
 * The daemon's log on a real file: rotated at its bound into daemon.log.1,
 * truncated in place so that the other descriptors writing to it (the
 * daemon's stdout and stderr) keep writing to the new start of the same file.
 */
import * as assert from 'node:assert/strict';
import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { DaemonLog } from '../../../../daemon/server/daemonLog';
import { openLog } from '../../../../home/safeFile';
import { tempFolder } from '../../../support/tempProject';

describe('the daemon log', () => {
  let dir: string;
  let file: string;
  const fds: number[] = [];
  beforeEach(() => {
    dir = tempFolder('daemon-log');
    file = path.join(dir, 'daemon.log');
  });
  afterEach(() => {
    for (const fd of fds.splice(0)) closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the file under its bound and the lines before the last rotation in daemon.log.1', () => {
    const fd = openLog(file, 'The log');
    fds.push(fd);
    const log = new DaemonLog(fd, file, 1000);
    for (let n = 0; n < 500; n++) log.write(`line ${String(n).padStart(4, '0')} ${'x'.repeat(30)}`);
    const current = readFileSync(file, 'utf8');
    const previous = readFileSync(`${file}.1`, 'utf8');
    assert.ok(statSync(file).size <= 1000, `daemon.log is ${statSync(file).size} bytes`);
    assert.ok(statSync(`${file}.1`).size <= 1000);
    assert.match(current, /^.* log rotated at 1000 bytes; earlier lines are in .*daemon\.log\.1\n/);
    assert.match(current, /line 0499 x+\n$/);
    // Nothing lost between the two files: the current one goes on where the previous one ends.
    const lastKept = Number(/line (\d{4}) x+\n$/.exec(previous)?.[1]);
    assert.match(current, new RegExp(`line ${String(lastKept + 1).padStart(4, '0')} `));
    assert.equal(statSync(`${file}.1`).mode & 0o777, 0o600);
  });

  it('has the other writers of the file (stdout, stderr) write at the new start after a rotation', () => {
    const fd = openLog(file, 'The log');
    const stderr = openSync(file, 'a');
    fds.push(fd, stderr);
    const log = new DaemonLog(fd, file, 250); // one rotation, before the ninth line
    writeSync(stderr, 'a warning before\n');
    for (let n = 0; n < 10; n++) log.write(`line ${n} ${'y'.repeat(20)}`);
    writeSync(stderr, 'a warning after\n');
    const current = readFileSync(file);
    assert.equal(current.includes(0), false, 'no hole of NUL bytes where the old content was');
    assert.match(current.toString(), /a warning after\n$/);
    assert.match(readFileSync(`${file}.1`, 'utf8'), /^a warning before\n/);
  });
});
