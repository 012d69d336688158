/**
 * Issue 14, what the daemon exposes beside its messages (test/support/attackWorld.ts): every socket
 * the daemon, its proxy and its servers listen on is loopback; a home or discovery file someone else
 * could have prepared (links, other users' files, files others can read or write) is refused and
 * left as it was.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, linkSync, lstatSync, mkdirSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { processIdentity } from '../../home/processIdentity';
import { runCli } from '../support/cli';
import { listeningSocketsOf } from '../support/listeningSockets';
import { daemonsOf, stopDaemonsOf } from '../support/processes';
import { tempFolder } from '../support/tempProject';
import type { StatusJson } from '../support/attackWorld';
import { NOBODY, useAttackWorld } from '../support/attackWorld';

describe('attacks on what the daemon listens on (real daemon, real runserver backends)', function () {
  this.timeout(120_000);
  const { port, canary, sandbox, discovery, tried } = useAttackWorld();

  describe('what the daemon listens on', () => {
    it('binds every socket of the daemon, its proxy and every server it started to loopback', async () => {
      const { pid, port: rpc } = discovery();
      const state = (await sandbox().cliJson<StatusJson>(['status'])).project;
      const sockets = listeningSocketsOf(pid);
      const ports = new Set(sockets.map((s) => s.port));
      assert.ok(ports.has(rpc), 'the JSON-RPC socket is among them');
      assert.ok(ports.has(port()), 'the proxy is among them');
      for (const backend of state?.backends ?? []) {
        assert.ok(backend.url && ports.has(Number(new URL(backend.url).port)), `${backend.label}'s runserver is among them`);
      }
      assert.ok((state?.backends.length ?? 0) >= 3, 'with three backends running');
      for (const socket of sockets) assert.ok(['127.0.0.1', '::1'].includes(socket.address), `${JSON.stringify(socket)} is loopback`);
      tried();
    });
  });

  describe("the daemon's home and discovery file, when someone else could have prepared them", () => {
    let dir: string;
    let home: string;
    const env = (): NodeJS.ProcessEnv => ({
      MULTISITE_LOCAL_HOME: home,
      MULTISITE_LOCAL_HOSTS_FILE: path.join(dir, 'hosts'),
      MULTISITE_LOCAL_IDLE_MS: '600000',
    });
    const discoveryFile = (): string => path.join(home, 'daemon.json');
    /** A discovery file as an attacker writes it: a live pid (ours) and a port that leads to the canary. */
    const planted = (): string => {
      const start = processIdentity(process.pid)?.start ?? '';
      return JSON.stringify({ port: canary.port(), token: 'stolen', pid: process.pid, start, version: '0.1.0', protocol: 4 });
    };
    /** The CLI refuses with one sentence naming the file and what is wrong, starts no daemon and connects nowhere. */
    const assertRefused = async (clause: RegExp): Promise<void> => {
      const result = await runCli(['daemon', 'status'], env());
      assert.notEqual(result.code, 0);
      const lines = result.stderr.trim().split('\n');
      assert.equal(lines.length, 1, result.stderr);
      assert.match(lines[0], clause);
      assert.match(lines[0], /\.$/);
      assert.deepEqual(daemonsOf(home), []);
      assert.equal(canary.connections(), 0, 'the client connected nowhere');
    };

    beforeEach(() => {
      dir = tempFolder('attack-home');
      home = path.join(dir, 'home');
    });

    afterEach(async () => {
      await stopDaemonsOf(home);
      rmSync(dir, { recursive: true, force: true });
    });

    it('refuses a discovery file that is a link, another user’s, hard-linked, not a file, or open to others', async () => {
      mkdirSync(home, { mode: 0o700 });
      const attackers = path.join(dir, 'attacker.json');
      writeFileSync(attackers, planted(), { mode: 0o600 });
      /** The planted file with exactly `mode` (the umask takes bits off a new file's). */
      const plantWithMode = (mode: number): void => {
        writeFileSync(discoveryFile(), planted());
        chmodSync(discoveryFile(), mode);
      };
      const cases: [string, () => void, RegExp][] = [
        ['a link', () => symlinkSync(attackers, discoveryFile()), /daemon\.json is a symbolic link/],
        ['a hard link', () => linkSync(attackers, discoveryFile()), /daemon\.json has 2 names/],
        ['a FIFO', () => execFileSync('mkfifo', [discoveryFile()]), /daemon\.json is not a regular file/],
        ['a folder', () => mkdirSync(discoveryFile()), /daemon\.json is not a regular file/],
        ['readable by others', () => plantWithMode(0o644), /daemon\.json can be read by other users \(mode 0644\)/],
        ['writable by others', () => plantWithMode(0o602), /daemon\.json can be written by other users \(mode 0602\)/],
      ];
      if (process.getuid?.() === 0) {
        cases.push([
          'another user’s',
          () => {
            writeFileSync(discoveryFile(), planted(), { mode: 0o600 });
            chownSync(discoveryFile(), NOBODY, NOBODY);
          },
          /daemon\.json is owned by user 65534/,
        ]);
      }
      for (const [what, plant, clause] of cases) {
        tried();
        rmSync(discoveryFile(), { recursive: true, force: true });
        plant();
        await assertRefused(clause).catch((error: Error) => assert.fail(`${what}: ${error.message}`));
      }
    });

    it('refuses a home that is a link, another user’s, or writable or readable by others, and leaves it as it was', async () => {
      const elsewhere = path.join(dir, 'elsewhere');
      mkdirSync(elsewhere, { mode: 0o700 });
      /** The home with exactly `mode` (mkdir's mode passes through the umask). */
      const privateDir = (mode: number): void => {
        mkdirSync(home);
        chmodSync(home, mode);
      };
      const cases: [string, () => void, RegExp][] = [
        ['a link', () => symlinkSync(elsewhere, home), /home \S+ is a symbolic link/],
        ['writable by others', () => privateDir(0o777), /home \S+ can be written by other users \(mode 0777\)/],
        ['writable by its group', () => privateDir(0o770), /home \S+ can be written by other users \(mode 0770\)/],
        ['readable by others', () => privateDir(0o755), /home \S+ can be read by other users \(mode 0755\), so it is not used: run chmod 700 on it\.$/m],
      ];
      if (process.getuid?.() === 0) {
        cases.push([
          'another user’s',
          () => {
            mkdirSync(home, { mode: 0o700 });
            chownSync(home, NOBODY, NOBODY);
          },
          /home \S+ is owned by user 65534/,
        ]);
      }
      for (const [what, plant, clause] of cases) {
        tried();
        rmSync(home, { recursive: true, force: true });
        plant();
        const planted = lstatSync(home);
        const result = await runCli(['daemon', 'start'], env());
        assert.notEqual(result.code, 0, what);
        assert.match(result.stderr, clause, what);
        assert.deepEqual(daemonsOf(home), [], what);
        assert.deepEqual([lstatSync(home).mode, lstatSync(home).uid], [planted.mode, planted.uid], `${what}: left as it was`);
        if (what !== 'a link') assert.deepEqual(readdirSync(home), [], `${what}: nothing written in it`);
      }
      assert.deepEqual(readdirSync(elsewhere), [], 'nothing was written through the link');

      rmSync(home, { recursive: true, force: true });
      privateDir(0o700);
      assert.equal((await runCli(['daemon', 'start'], env())).code, 0);
      assert.equal(statSync(discoveryFile()).mode & 0o777, 0o600);
      assert.equal((await runCli(['daemon', 'stop'], env())).code, 0);
    });
  });
});
