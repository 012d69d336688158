/** The hosts file writer: edits made by others between our read and our write are kept, and changes are serialized. */
import * as assert from 'node:assert/strict';
import { readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { HostsFile } from '../../../../daemon/hosts/hostsFile';
import { tempFolder } from '../../../support/tempProject';

describe('hosts file writer', () => {
  let dir: string;
  beforeEach(() => (dir = tempFolder('hostsfile')));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps an edit someone else made between our read and our write', async () => {
    const file = path.join(dir, 'hosts');
    writeFileSync(file, 'a\n');
    const hosts = new HostsFile(file, path.join(dir, 'backup'));
    let calls = 0;
    const change = await hosts.update((text) => {
      // The first time, another program edits the file while we compute.
      if (calls++ === 0) writeFileSync(file, 'a\nb (theirs)\n');
      return `${text}ours\n`;
    });
    assert.equal(readFileSync(file, 'utf8'), 'a\nb (theirs)\nours\n');
    assert.equal(change.before(), 'a\nb (theirs)\n');
    assert.equal(readFileSync(path.join(dir, 'backup'), 'utf8'), 'a\nb (theirs)\n', 'the backup is what was replaced');
  });

  it('notices a same-size edit whose modification time was put back (file systems with coarse times)', async () => {
    const file = path.join(dir, 'hosts');
    writeFileSync(file, '10.0.0.1 a\n');
    const second = new Date(Math.floor(Date.now() / 1000) * 1000);
    utimesSync(file, second, second);
    const hosts = new HostsFile(file, path.join(dir, 'backup'));
    let calls = 0;
    await hosts.update((text) => {
      if (calls++ === 0) {
        writeFileSync(file, '10.0.0.2 a\n'); // same size, in place
        utimesSync(file, second, second); // and the same time again
      }
      return `${text}ours\n`;
    });
    assert.equal(readFileSync(file, 'utf8'), '10.0.0.2 a\nours\n');
  });

  it('serializes concurrent changes, and a dry run writes nothing', async () => {
    const file = path.join(dir, 'hosts');
    writeFileSync(file, '');
    const hosts = new HostsFile(file, path.join(dir, 'backup'));
    await Promise.all(['1', '2', '3'].map((n) => hosts.update((text) => `${text}${n}\n`)));
    assert.equal(readFileSync(file, 'utf8'), '1\n2\n3\n');
    const dry = await hosts.update((text) => `${text}4\n`, true);
    assert.equal(dry.changed, true);
    assert.equal(readFileSync(file, 'utf8'), '1\n2\n3\n');
  });
});
