/**
 * A private Docker Engine for one test suite: its own socket, data and pid file
 * in a temp folder (the machine's engine, if any, is not touched), and an image
 * built from the host (no registry is reachable): run services mount /usr from
 * the host, so python3 with Django works inside.
 */
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, copyFileSync } from 'node:fs';
import * as path from 'node:path';
import { isAlive } from '../../daemon/protocol/processIdentity';
import { tempFolder } from './tempProject';

export const TEST_IMAGE = 'hostpython:local';

export class DockerEngine {
  readonly dir = tempFolder('docker');
  readonly host = `unix://${path.join(this.dir, 'docker.sock')}`;
  private daemon: ChildProcess | null = null;

  get env(): NodeJS.ProcessEnv {
    return { DOCKER_HOST: this.host };
  }

  docker(args: string[]): string {
    return execFileSync('docker', args, { env: { ...process.env, ...this.env }, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  }

  async start(): Promise<void> {
    this.daemon = spawn(
      'dockerd',
      [
        '--host',
        this.host,
        '--data-root',
        path.join(this.dir, 'data'),
        '--exec-root',
        path.join(this.dir, 'exec'),
        '--pidfile',
        path.join(this.dir, 'docker.pid'),
      ],
      { stdio: 'ignore', detached: true },
    );
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        this.docker(['info']);
        break;
      } catch (error) {
        if (Date.now() > deadline || this.daemon.exitCode !== null) throw new Error(`dockerd did not start: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
    this.importHostImage();
  }

  private importHostImage(): void {
    const root = path.join(this.dir, 'rootfs');
    for (const d of ['tmp', 'etc', 'proc', 'sys', 'dev', 'app', 'usr']) mkdirSync(path.join(root, d), { recursive: true });
    copyFileSync('/etc/passwd', path.join(root, 'etc', 'passwd'));
    copyFileSync('/etc/group', path.join(root, 'etc', 'group'));
    for (const [link, target] of [
      ['lib', 'usr/lib'],
      ['lib64', 'usr/lib64'],
      ['bin', 'usr/bin'],
    ])
      symlinkSync(target, path.join(root, link));
    const tarball = execFileSync('tar', ['-C', root, '-c', '.']);
    execFileSync('docker', ['import', '-', TEST_IMAGE], { env: { ...process.env, ...this.env }, input: tarball, stdio: ['pipe', 'ignore', 'pipe'] });
  }

  async stop(): Promise<void> {
    const pid = this.daemon?.pid;
    if (pid !== undefined && isAlive(pid)) {
      process.kill(pid, 'SIGTERM');
      const deadline = Date.now() + 20_000;
      while (isAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
