/**
 * The daemon's home and the files in it are refused when someone else could
 * have put or redirected them: a home that is a symbolic link, owned by another
 * user or writable by other users, and a discovery file that is a link, another
 * user's, or readable by others. Nothing is written through a planted link.
 */
import * as assert from 'node:assert/strict';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { DaemonHome } from '../../../home/daemonHome';
import { readDiscovery, writeDiscovery } from '../../../home/discovery';
import type { Discovery } from '../../../home/discovery';
import { tempFolder } from '../../support/tempProject';

const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;
const discovery: Discovery = { port: 1234, token: 'secret-token', pid: process.pid, version: '0.1.0', protocol: 1 };

describe('the daemon home', () => {
  let dir: string;
  beforeEach(() => (dir = tempFolder('daemon-home')));
  afterEach(() => {
    chmodSync(dir, 0o700);
    rmSync(dir, { recursive: true, force: true });
  });

  it('is created readable by its owner only', () => {
    const home = new DaemonHome(path.join(dir, 'a', 'home'));
    home.ensure();
    assert.equal(statSync(home.dir).mode & 0o777, 0o700);
  });

  it('refuses a home that is a symbolic link, and changes nothing where it points', () => {
    const real = path.join(dir, 'real');
    mkdirSync(real, { mode: 0o755 });
    chmodSync(real, 0o755);
    const link = path.join(dir, 'home');
    symlinkSync(real, link);
    assert.throws(
      () => new DaemonHome(link).ensure(),
      (error: Error) => error.message.includes(link) && /symbolic link/.test(error.message),
    );
    assert.equal(statSync(real).mode & 0o777, 0o755);
  });

  it('refuses a home other users can write (they may have planted files in it), and leaves its mode', () => {
    const home = new DaemonHome(path.join(dir, 'home'));
    mkdirSync(home.dir);
    chmodSync(home.dir, 0o777);
    assert.throws(
      () => home.ensure(),
      (error: Error) => error.message.includes(home.dir) && /written by other users/.test(error.message),
    );
    assert.equal(statSync(home.dir).mode & 0o777, 0o777);
  });

  it('refuses a home other users can read, saying how to make it private, and leaves its mode', () => {
    const home = new DaemonHome(path.join(dir, 'home'));
    mkdirSync(home.dir);
    chmodSync(home.dir, 0o755);
    assert.throws(
      () => home.ensure(),
      (error: Error) => error.message === `The daemon's home ${home.dir} can be read by other users (mode 0755), so it is not used: run chmod 700 on it.`,
    );
    assert.equal(statSync(home.dir).mode & 0o777, 0o755);
  });

  it('refuses a home owned by another user (as root: chowned to nobody)', function () {
    if (!isRoot) this.skip(); // the ownership rule itself is tested without root in fileOwnership.test.ts
    const home = new DaemonHome(path.join(dir, 'home'));
    mkdirSync(home.dir, { mode: 0o700 });
    chownSync(home.dir, NOBODY, NOBODY);
    assert.throws(
      () => home.ensure(),
      (error: Error) => error.message.includes(home.dir) && /owned by user 65534/.test(error.message),
    );
  });
});

describe('the discovery file', () => {
  let home: DaemonHome;
  beforeEach(() => {
    home = new DaemonHome(tempFolder('daemon-home'));
    home.ensure();
  });
  afterEach(() => rmSync(home.dir, { recursive: true, force: true }));

  it('is written 0600 without following a link planted at its temp file', () => {
    const victim = path.join(home.dir, 'victim');
    writeFileSync(victim, 'precious\n', { mode: 0o644 });
    symlinkSync(victim, `${home.discoveryFile}.${process.pid}.tmp`);
    writeDiscovery(home, discovery);
    assert.equal(readFileSync(victim, 'utf8'), 'precious\n');
    const stats = lstatSync(home.discoveryFile);
    assert.ok(stats.isFile());
    assert.equal(stats.mode & 0o777, 0o600);
    assert.deepEqual(readDiscovery(home), discovery);
  });

  it('replaces a link planted at its own name instead of writing through it', () => {
    const victim = path.join(home.dir, 'victim');
    writeFileSync(victim, 'precious\n');
    symlinkSync(victim, home.discoveryFile);
    writeDiscovery(home, discovery);
    assert.equal(readFileSync(victim, 'utf8'), 'precious\n');
    assert.ok(lstatSync(home.discoveryFile).isFile());
  });

  it('is refused, with a sentence, when it is a symbolic link', () => {
    const elsewhere = path.join(home.dir, 'elsewhere.json');
    writeFileSync(elsewhere, JSON.stringify(discovery), { mode: 0o600 });
    symlinkSync(elsewhere, home.discoveryFile);
    assert.throws(
      () => readDiscovery(home),
      (error: Error) => error.message.includes(home.discoveryFile) && /symbolic link/.test(error.message),
    );
  });

  it('is refused, with a sentence, when other users can read it (its token may be known)', () => {
    writeDiscovery(home, discovery);
    chmodSync(home.discoveryFile, 0o644);
    assert.throws(
      () => readDiscovery(home),
      (error: Error) => error.message.includes(home.discoveryFile) && /read by other users/.test(error.message),
    );
  });

  it('is refused, with a sentence, when another user owns it (as root: chowned to nobody)', function () {
    if (!isRoot) this.skip();
    writeDiscovery(home, discovery);
    chownSync(home.discoveryFile, NOBODY, NOBODY);
    assert.throws(
      () => readDiscovery(home),
      (error: Error) => error.message.includes(home.discoveryFile) && /owned by user 65534/.test(error.message),
    );
  });

  it('reads as absent when there is none', () => {
    assert.equal(existsSync(home.discoveryFile), false);
    assert.equal(readDiscovery(home), null);
  });
});
