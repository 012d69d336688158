/**
 * The CLI keeps V8's code for dist/wire.js in the daemon's home (see
 * daemon/cli/wireCodeCache.ts): the real CLI against the real daemon. Whether
 * V8 took the code is seen from outside: code it rejects is written again.
 */
import * as assert from 'node:assert/strict';
import { existsSync, lstatSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { runCli } from '../support/cli';
import { tempFolder } from '../support/tempProject';
import { useSandbox } from '../support/useSandbox';

describe("the CLI's code cache for the wire libraries (real CLI, real daemon)", function () {
  const sandbox = useSandbox();
  const folder = (): string => path.join(sandbox().home, 'code-cache');
  const cacheFile = (): string => {
    const names = readdirSync(folder());
    assert.equal(names.length, 1, names.join(', '));
    assert.match(names[0], /^wire-[0-9a-f]{16}\.v8$/);
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

  it('drops code kept for another wire.js when it keeps this one', async () => {
    await status();
    const file = cacheFile();
    const stale = path.join(folder(), 'wire-0123456789abcdef.v8');
    writeFileSync(stale, 'old', { mode: 0o600 });
    rmSync(file);
    await status();
    assert.equal(cacheFile(), file);
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
