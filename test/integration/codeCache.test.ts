/**
 * The CLI keeps V8's code for dist/wire.js in the daemon's home, and the
 * daemon its own for dist/daemonMain.js (see home/codeCache.ts):
 * the real CLI and the real daemon. Whether V8 took the code is seen from
 * outside: code it rejects is written again.
 * V8 runs the code it is given, so code planted in a folder that is not a
 * private folder of ours (a link, another user's, one others may write) must
 * never run: it writes a marker file when it does (plantedCodeCache.ts).
 */
import * as assert from 'node:assert/strict';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { DAEMON_V8_FLAGS } from '../../client/daemonClient';
import { runCli } from '../support/cli';
import { addFigure } from '../support/figures';
import { plantCodeCache } from '../support/plantedCodeCache';
import { tempFolder } from '../support/tempProject';
import { useSandbox } from '../support/useSandbox';

const NOBODY = 65534;

describe("the code cache of the CLI's wire libraries and of the daemon (real CLI, real daemon)", function () {
  const sandbox = useSandbox();
  const scratch: string[] = [];
  after(() => {
    for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
  });
  /** A marker file planted code would create, in a folder of the suite's. */
  const markerPath = (): string => {
    const dir = tempFolder('code-cache-marker');
    scratch.push(dir);
    return path.join(dir, 'ran');
  };
  const folder = (): string => path.join(sandbox().home, 'code-cache');
  /** The one file of `bundle`'s code (wire: the CLI's and the daemon's). */
  const cacheFile = (bundle = 'wire'): string => {
    const names = readdirSync(folder()).filter((name) => name.startsWith(`${bundle}-`));
    assert.equal(names.length, 1, readdirSync(folder()).join(', '));
    assert.match(names[0], /^[a-zA-Z]+-[0-9a-f]{16}\.v8$/);
    return path.join(folder(), names[0]);
  };
  const status = async (): Promise<void> => {
    const result = await sandbox().cli(['status']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Daemon pid \d+/);
  };

  before(async () => {
    assert.equal((await sandbox().cli(['daemon', 'start'])).code, 0);
  });

  it('keeps one private file, and the next command uses it instead of writing it again', async () => {
    await status();
    const file = cacheFile();
    assert.equal(statSync(folder()).mode & 0o777, 0o700);
    const first = statSync(file);
    assert.equal(first.mode & 0o777, 0o600);
    assert.ok(first.size > 10_000, `${first.size} bytes`);
    await status();
    const second = statSync(cacheFile());
    assert.deepEqual([second.ino, second.mtimeMs], [first.ino, first.mtimeMs], 'V8 took the code, so it was not written again');
  });

  it('writes code V8 rejects again, and the command works as without it', async () => {
    await status();
    const file = cacheFile();
    const garbage = Buffer.alloc(statSync(file).size, 0x5a);
    writeFileSync(file, garbage);
    await status();
    assert.notDeepEqual(readFileSync(cacheFile()), garbage);
    const kept = statSync(cacheFile());
    await status();
    assert.equal(statSync(cacheFile()).mtimeMs, kept.mtimeMs, 'the code written again is taken');
  });

  it('replaces a link planted at its name instead of reading or writing through it', async () => {
    await status();
    const file = cacheFile();
    const victim = path.join(tempFolder('code-cache-victim'), 'victim');
    writeFileSync(victim, 'precious\n');
    try {
      rmSync(file);
      symlinkSync(victim, file);
      await status();
      assert.equal(readFileSync(victim, 'utf8'), 'precious\n');
      assert.ok(lstatSync(cacheFile()).isFile());
    } finally {
      rmSync(path.dirname(victim), { recursive: true, force: true });
    }
  });

  it('replaces a link planted as its folder: the code behind it never runs, and what it points to is untouched', async () => {
    const target = tempFolder('code-cache-target');
    scratch.push(target);
    const marker = markerPath();
    const planted = plantCodeCache(target, marker);
    const bytes = readFileSync(planted);
    rmSync(folder(), { recursive: true, force: true });
    symlinkSync(target, folder());
    await status();
    assert.equal(existsSync(marker), false, 'the code planted behind the link ran');
    assert.ok(lstatSync(folder()).isDirectory(), 'a private folder replaced the link');
    assert.equal(statSync(folder()).mode & 0o777, 0o700);
    assert.notDeepEqual(readFileSync(cacheFile()), bytes, 'its own code was kept in it');
    assert.deepEqual(readdirSync(target), [path.basename(planted)]);
    assert.deepEqual(readFileSync(planted), bytes);
    await status();
    assert.equal(existsSync(marker), false);
    addFigure('attacks tried', 1);
  });

  for (const planted of [
    { what: 'a folder of another user open to all (as root: chowned to nobody, mode 0777)', owner: NOBODY, mode: 0o777 },
    { what: 'a folder of ours that others may write (mode 0777)', owner: null, mode: 0o777 },
    { what: 'a folder of ours that others may read (mode 0755)', owner: null, mode: 0o755 },
  ]) {
    it(`does not use ${planted.what}: the code in it never runs, and the folder is left as it is`, async function () {
      if (planted.owner !== null && process.getuid?.() !== 0) this.skip(); // only root can give a folder away
      const marker = markerPath();
      rmSync(folder(), { recursive: true, force: true });
      mkdirSync(folder());
      const file = plantCodeCache(folder(), marker);
      const bytes = readFileSync(file);
      if (planted.owner !== null) chownSync(folder(), planted.owner, planted.owner);
      chmodSync(folder(), planted.mode);
      try {
        await status();
        await status();
        assert.equal(existsSync(marker), false, 'the code planted in the folder ran');
        const after = lstatSync(folder());
        assert.deepEqual([after.uid, after.mode & 0o777], [planted.owner ?? process.getuid?.(), planted.mode]);
        assert.deepEqual(readdirSync(folder()), [path.basename(file)], 'nothing was written into it');
        assert.deepEqual(readFileSync(file), bytes);
      } finally {
        rmSync(folder(), { recursive: true, force: true }); // the next test starts without a cache
      }
      addFigure('attacks tried', 1);
    });
  }

  it('drops code kept for another wire.js when it keeps this one', async () => {
    await status();
    const file = cacheFile();
    const stale = path.join(folder(), 'wire-0123456789abcdef.v8');
    writeFileSync(stale, 'old', { mode: 0o600 });
    rmSync(file);
    await status();
    assert.equal(cacheFile(), file);
  });

  it("keeps the daemon's code when the daemon stops, and the next daemon takes it instead of writing it again", async () => {
    const cli = async (args: string[]): Promise<void> => assert.equal((await sandbox().cli(args)).code, 0);
    await cli(['daemon', 'stop']);
    const file = cacheFile('daemonMain');
    const first = statSync(file);
    assert.equal(first.mode & 0o777, 0o600);
    assert.ok(first.size > 100_000, `${first.size} bytes`);
    await cli(['daemon', 'start']);
    await status();
    await cli(['daemon', 'stop']);
    const second = statSync(cacheFile('daemonMain'));
    assert.deepEqual([second.ino, second.mtimeMs], [first.ino, first.mtimeMs], 'V8 took the code, so it was not written again');
    await cli(['daemon', 'start']);
  });

  it('never runs daemon code planted in a folder others may write: the daemon starts and serves as without it', async () => {
    const marker = markerPath();
    assert.equal((await sandbox().cli(['daemon', 'stop'])).code, 0);
    rmSync(folder(), { recursive: true, force: true });
    mkdirSync(folder());
    const file = plantCodeCache(folder(), marker, 'daemonMain.js', DAEMON_V8_FLAGS);
    chmodSync(folder(), 0o777);
    try {
      assert.equal((await sandbox().cli(['daemon', 'start'])).code, 0);
      await status();
      assert.equal(existsSync(marker), false, 'the code planted in the folder ran');
      assert.deepEqual(readdirSync(folder()), [path.basename(file)], 'nothing was written into it');
    } finally {
      rmSync(folder(), { recursive: true, force: true });
    }
    addFigure('attacks tried', 1);
  });

  it('creates nothing when there is no daemon home (status with no daemon)', async () => {
    const home = path.join(tempFolder('no-home'), 'home');
    try {
      const result = await runCli(['status'], { MULTISITE_LOCAL_HOME: home });
      assert.equal(result.code, 0, result.stderr);
      assert.equal(existsSync(home), false);
    } finally {
      rmSync(path.dirname(home), { recursive: true, force: true });
    }
  });
});
