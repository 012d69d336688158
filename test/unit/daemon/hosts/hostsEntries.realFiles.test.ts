/**
 * The hosts writer on real files of every awkward kind: a symbolic link
 * (refused, not followed), a device and a FIFO (refused before they are
 * opened), a file owned by someone else (owner kept), bytes that are not UTF-8
 * (kept, in the file and in the backup), UTF-16 (refused), a file that did not
 * exist (refused, not created; one an older version created goes again with
 * its last block), and another process appending lines while
 * we apply and remove (none lost).
 */
import * as assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { blockId } from '../../../../daemon/hosts/hostsBlock';
import { HostsEntries } from '../../../../daemon/hosts/hostsEntries';
import { legacyCreatedFile } from '../../../support/legacyHostsBlock';
import { tempFolder } from '../../../support/tempProject';

const ROOT = '/srv/demo';
const NAMES = ['alpha.example', 'beta.example'];

describe('hosts writer on real files', () => {
  let dir: string;
  let entries: HostsEntries;
  beforeEach(() => {
    dir = tempFolder('realfiles');
    mkdirSync(path.join(dir, 'home'));
    entries = new HostsEntries(path.join(dir, 'home'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a symbolic link, even to a real hosts file, in one sentence: not followed, nothing read or written', async () => {
    const target = path.join(dir, 'real-hosts');
    const link = path.join(dir, 'link.hosts');
    writeFileSync(target, '127.0.0.1 localhost\n');
    symlinkSync('real-hosts', link);
    const sentence = `The hosts file ${link} is a symbolic link to real-hosts, which is not followed, so nothing was read or written; name the file itself if that is the one to edit.`;
    await assert.rejects(entries.apply(link, ROOT, NAMES), (error: Error) => error.message === sentence);
    await assert.rejects(entries.remove(link, ROOT), (error: Error) => error.message === sentence);
    await assert.rejects(entries.survey(link, NAMES), (error: Error) => error.message === sentence);
    assert.equal(readlinkSync(link), 'real-hosts');
    assert.equal(readFileSync(target, 'utf8'), '127.0.0.1 localhost\n');
    assert.deepEqual(readdirSync(dir).sort(), ['home', 'link.hosts', 'real-hosts'], 'no backup, temp file or lock beside it');
    assert.deepEqual((await entries.recover()).done, [], 'nothing was journaled');
  });

  it('refuses a character device and a FIFO at once, naming what they are, and changes nothing', async function () {
    if (process.getuid?.() !== 0) this.skip(); // mknod needs root; CI runs as root
    const device = path.join(dir, 'null-device');
    execFileSync('mknod', [device, 'c', '1', '3']);
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    await assert.rejects(entries.apply(device, ROOT, NAMES), /is a character device, not a regular file; nothing was read or written/);
    await assert.rejects(entries.apply(fifo, ROOT, NAMES), /is a FIFO \(named pipe\), not a regular file/);
    assert.ok(statSync(device).isCharacterDevice());
    assert.ok(statSync(fifo).isFIFO());
    assert.deepEqual((await entries.recover()).done, [], 'nothing was journaled');
  });

  it('keeps bytes that are not UTF-8, NULs and a BOM, in the file and in the backup', async () => {
    const file = path.join(dir, 'hosts');
    const original = Buffer.from('\xef\xbb\xbf# caf\xe9 \x00 \xff\r\n127.0.0.1 localhost', 'latin1');
    writeFileSync(file, original);
    await entries.apply(file, ROOT, NAMES);
    const backups = () =>
      execFileSync('ls', [path.join(dir, 'home')], { encoding: 'utf8' })
        .split('\n')
        .filter((f) => f.startsWith('hosts-backup-') && !f.endsWith('.new'));
    assert.deepEqual(readFileSync(path.join(dir, 'home', backups()[0])), original, 'the backup is the exact bytes');
    await entries.remove(file, ROOT);
    assert.deepEqual(readFileSync(file), original);
  });

  it('refuses a UTF-16 file instead of corrupting it', async () => {
    const file = path.join(dir, 'hosts');
    writeFileSync(file, Buffer.from('\ufeff127.0.0.1 localhost\r\n', 'utf16le'));
    await assert.rejects(entries.apply(file, ROOT, NAMES), /UTF-16 encoded/);
  });

  it('keeps the owner and mode of a file owned by someone else', async function () {
    if (process.getuid?.() !== 0) this.skip(); // only root can hand a file to another user
    const file = path.join(dir, 'hosts');
    writeFileSync(file, '127.0.0.1 localhost\n', { mode: 0o640 });
    chownSync(file, 65534, 65534);
    await entries.apply(file, ROOT, NAMES);
    const stats = statSync(file);
    assert.deepEqual([stats.uid, stats.gid, stats.mode & 0o777], [65534, 65534, 0o640]);
  });

  it('refuses to create a missing file, in one sentence, and creates nothing', async () => {
    const file = path.join(dir, 'new-hosts');
    await assert.rejects(
      entries.apply(file, ROOT, NAMES),
      (error: Error) =>
        error.message ===
        `The hosts file ${file} does not exist, so nothing was written; create it (an empty file will do) or choose another hosts file (--hosts-file or the multisiteLocal.hostsFile setting).`,
    );
    assert.equal(existsSync(file), false);
    assert.deepEqual(readdirSync(dir), ['home'], 'no temp file, lock or backup either');
  });

  it('removes a file an older version created, with its last block', async () => {
    const file = path.join(dir, 'old-hosts');
    writeFileSync(file, legacyCreatedFile({ id: blockId(path.join(dir, 'home'), ROOT), root: ROOT, names: NAMES }));
    await entries.remove(file, ROOT);
    assert.equal(existsSync(file), false, 'no 0-byte file left behind');
  });

  it('creates nothing when removing from a file that does not exist', async () => {
    const file = path.join(dir, 'absent-hosts');
    const change = await entries.remove(file, ROOT);
    assert.equal(change.changed, false);
    assert.equal(existsSync(file), false);
  });

  it('refuses a folder, and a missing folder, with one sentence', async () => {
    await assert.rejects(entries.apply(dir, ROOT, NAMES), /is a folder, not a regular file/);
    await assert.rejects(entries.apply(path.join(dir, 'nowhere', 'hosts'), ROOT, NAMES), /does not exist, nor does its folder .*nowhere\./);
  });

  it('loses no line another process appends while we apply and remove, on a 200,000-line file', async function () {
    this.timeout(120_000);
    const file = path.join(dir, 'hosts');
    const original = Array.from({ length: 200_000 }, (_, i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}\thost-${i}.lan`).join('\n') + '\n';
    writeFileSync(file, original);
    const appends = 400;
    // Opens, appends and closes the file every 20 ms, as `echo >> /etc/hosts` in a loop would.
    const script = `const fs=require('fs');let i=0;const t=setInterval(()=>{fs.appendFileSync(process.argv[1],'192.168.9.9 user-'+i+'.lan\\n');if(++i===${appends})clearInterval(t);},20);`;
    const writer = spawn(process.execPath, ['-e', script, file], { stdio: 'ignore' });
    const done = new Promise((resolve) => writer.once('exit', resolve));
    let cycles = 0;
    let finished = false;
    void done.then(() => (finished = true));
    while (!finished || cycles < 10) {
      await entries.apply(file, ROOT, NAMES);
      await entries.remove(file, ROOT);
      cycles++;
    }
    await done;
    await new Promise((resolve) => setTimeout(resolve, 2500)); // a line written late to a replaced copy is taken in within 2 s
    const text = readFileSync(file, 'utf8');
    assert.ok(text.startsWith(original), 'the original lines are intact');
    // A line a paused writer put in a replaced copy comes back at the end, so compare as sets.
    const userLines = text.slice(original.length).split('\n').filter(Boolean).sort();
    const expected = Array.from({ length: appends }, (_, i) => `192.168.9.9 user-${i}.lan`).sort();
    assert.deepEqual(userLines, expected, `every appended line exactly once, after ${cycles} cycles`);
  });

  it('refuses a block whose end line the user deleted, in one sentence naming the file and the line, and writes nothing', async () => {
    const file = path.join(dir, 'hosts');
    writeFileSync(file, '127.0.0.1 localhost\n');
    await entries.apply(file, ROOT, NAMES);
    const damaged = readFileSync(file, 'utf8').replace(/# <<< multisite-local [0-9a-f]+ <<<\n/, '') + '10.0.0.9 nas.lan\n';
    writeFileSync(file, damaged);
    for (const change of [() => entries.apply(file, ROOT, NAMES), () => entries.remove(file, ROOT)]) {
      await assert.rejects(change(), (e: Error) => {
        assert.match(
          e.message,
          new RegExp(
            `^${file} line 2 \\("# >>> multisite-local [0-9a-f]+ /srv/demo >>>"\\) starts a block of ours whose end line is missing, so that block was left as it is: .*then try again\\.$`,
          ),
        );
        return true;
      });
    }
    assert.equal(readFileSync(file, 'utf8'), damaged, 'nothing written');
    const recovery = await entries.recover();
    assert.equal(recovery.failures.length, 1);
    assert.match(recovery.failures[0], /line 2 .* starts a block of ours whose end line is missing/);
    assert.equal(readFileSync(file, 'utf8'), damaged);
    assert.equal((await entries.recover()).failures.length, 1, 'the record is kept, to be tried again once the file is fixed');
  });
});
