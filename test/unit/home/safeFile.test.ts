/**
 * The one module that creates, replaces and reads the files in the daemon's
 * home, on real files: nothing is written through a planted link, and a log
 * that is not a plain file of ours is refused.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chownSync, closeSync, fstatSync, linkSync, lstatSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { openLog, writeFileAtomic, writeNewFile } from '../../../home/safeFile';
import { tempFolder } from '../../support/tempProject';

describe('files in the daemon’s home', () => {
  let dir: string;
  let victim: string;
  beforeEach(() => {
    dir = tempFolder('safe-file');
    victim = path.join(dir, 'victim');
    writeFileSync(victim, 'precious\n', { mode: 0o644 });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a new file only where nothing is, not even a link', () => {
    const planted = path.join(dir, 'new');
    symlinkSync(victim, planted);
    assert.throws(() => writeNewFile(planted, 'token'), { code: 'EEXIST' });
    symlinkSync(path.join(dir, 'missing'), path.join(dir, 'dangling'));
    assert.throws(() => writeNewFile(path.join(dir, 'dangling'), 'token'), { code: 'EEXIST' });
    assert.equal(readFileSync(victim, 'utf8'), 'precious\n');
    assert.throws(() => lstatSync(path.join(dir, 'missing')), { code: 'ENOENT' });
  });

  it('replaces a file atomically, 0600, leaving no temp file behind', () => {
    const file = path.join(dir, 'journal.json');
    writeFileAtomic(file, '[]');
    writeFileAtomic(file, '[1]');
    assert.equal(readFileSync(file, 'utf8'), '[1]');
    assert.equal(lstatSync(file).mode & 0o777, 0o600);
    assert.deepEqual(
      readdirSync(dir).filter((name) => name.endsWith('.tmp')),
      [],
    );
  });

  it('appends to a log of its own, made private if others could read it', () => {
    const log = path.join(dir, 'daemon.log');
    writeFileSync(log, 'old line\n', { mode: 0o644 });
    const fd = openLog(log, 'The log');
    try {
      writeSync(fd, 'new line\n');
      assert.equal(fstatSync(fd).mode & 0o777, 0o600);
    } finally {
      closeSync(fd);
    }
    assert.equal(readFileSync(log, 'utf8'), 'old line\nnew line\n');
  });

  it('refuses a log that is a link, a FIFO, or a second name of another file', () => {
    const log = path.join(dir, 'daemon.log');
    symlinkSync(victim, log);
    assert.throws(() => openLog(log, 'The log'), /^Error: The log is a symbolic link, so it is not used: delete it/);
    rmSync(log);
    execFileSync('mkfifo', [log]);
    assert.throws(() => openLog(log, 'The log'), /is not a regular file/);
    rmSync(log);
    linkSync(victim, log);
    assert.throws(() => openLog(log, 'The log'), /has 2 names/);
    assert.equal(readFileSync(victim, 'utf8'), 'precious\n');
  });

  it('refuses a log another user owns (as root: chowned to nobody)', function () {
    if (process.getuid?.() !== 0) this.skip(); // the rule itself: fileOwnership.test.ts
    const log = path.join(dir, 'daemon.log');
    writeFileSync(log, '', { mode: 0o600 });
    chownSync(log, 65534, 65534);
    assert.throws(() => openLog(log, 'The log'), /is owned by user 65534/);
  });
});
