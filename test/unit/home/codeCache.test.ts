import * as assert from 'node:assert/strict';
import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { codeCacheFile, codeCacheFolder } from '../../../home/codeCache';
import { DaemonHome } from '../../../home/daemonHome';
import { tempFolder } from '../../support/tempProject';

describe('the code cache file name', () => {
  it('differs for two sources of the same length (V8 checks only the length), and names the bundle', () => {
    const a = codeCacheFile('/cache', '/dist/wire.js', 'module.exports = 1;');
    const b = codeCacheFile('/cache', '/dist/wire.js', 'module.exports = 2;');
    assert.notEqual(a, b);
    assert.match(a, /^\/cache\/wire-[0-9a-f]{16}\.v8$/);
    assert.equal(codeCacheFile('/cache', '/dist/wire.js', 'module.exports = 1;'), a);
    assert.match(codeCacheFile('/cache', '/dist/daemonMain.js', 'module.exports = 1;'), /^\/cache\/daemonMain-[0-9a-f]{16}\.v8$/);
  });
});

describe("the code cache folder gets the home's checks", () => {
  const posix = process.platform !== 'win32';
  let home = '';
  let other = '';
  beforeEach(() => {
    home = tempFolder('cache-home');
    other = tempFolder('cache-other');
  });
  afterEach(() => {
    for (const dir of [home, other]) rmSync(dir, { recursive: true, force: true });
  });
  const folder = (): string => path.join(home, 'code-cache');

  it('is used when absent (made private when code is kept) or a private folder of ours', () => {
    assert.equal(codeCacheFolder(new DaemonHome(home)), folder());
    mkdirSync(folder(), { mode: 0o700 });
    assert.equal(codeCacheFolder(new DaemonHome(home)), folder());
  });

  it('replaces a link at its name, leaving what the link points to as it is', () => {
    writeFileSync(path.join(other, 'kept'), 'precious');
    symlinkSync(other, folder());
    assert.equal(codeCacheFolder(new DaemonHome(home)), folder());
    assert.equal(lstatSync(folder(), { throwIfNoEntry: false }), undefined, 'the link itself is gone');
    assert.deepEqual(readdirSync(other), ['kept']);
    assert.equal(readFileSync(path.join(other, 'kept'), 'utf8'), 'precious');
  });

  it('replaces a file at its name', () => {
    writeFileSync(folder(), 'not a folder');
    assert.equal(codeCacheFolder(new DaemonHome(home)), folder());
    assert.equal(lstatSync(folder(), { throwIfNoEntry: false }), undefined);
  });

  for (const mode of [0o777, 0o755, 0o770]) {
    it(`does not use a folder others may read or write (mode 0${mode.toString(8)}), and leaves it as it is`, function () {
      if (!posix) this.skip();
      mkdirSync(folder());
      writeFileSync(path.join(folder(), 'theirs'), 'x');
      chmodSync(folder(), mode);
      assert.equal(codeCacheFolder(new DaemonHome(home)), null);
      assert.equal(lstatSync(folder()).mode & 0o777, mode);
      assert.deepEqual(readdirSync(folder()), ['theirs']);
    });
  }
});
