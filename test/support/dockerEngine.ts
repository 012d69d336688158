/**
 * A private Docker Engine for one test suite: its own socket, data and pid file
 * in a temp folder (the machine's engine, if any, is not touched), and an image
 * built from the host (no registry is reachable): run services mount /usr from
 * the host, so python3 with Django works inside.
 *
 * It leaves nothing on the machine. A network's bridge interface outlives the
 * engine that made it (an engine keeps its networks for its next start), and
 * this engine's data goes with the test, so its networks are removed before it
 * stops; otherwise every run left bridges behind until Docker's default
 * address pools were all taken ("could not find an available, non-overlapping
 * IPv4 address pool") and every compose test failed. No default bridge, no
 * iptables rules (published ports go through docker-proxy), and address pools
 * from a range no route of the machine uses, so bridges left by a run that was
 * killed, or anyone else's, cannot take them.
 */
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, copyFileSync } from 'node:fs';
import * as path from 'node:path';
import { isAlive } from '../../home/processIdentity';
import { tempFolder } from './tempProject';

export const TEST_IMAGE = 'hostpython:local';

export class DockerEngine {
  readonly dir = tempFolder('docker');
  readonly host = `unix://${path.join(this.dir, 'docker.sock')}`;
  private daemon: ChildProcess | null = null;
  /** The machine's network interfaces before the engine started. */
  private interfacesBefore = new Set<string>();

  get env(): NodeJS.ProcessEnv {
    return { DOCKER_HOST: this.host };
  }

  docker(args: string[]): string {
    return execFileSync('docker', args, { env: { ...process.env, ...this.env }, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  }

  async start(): Promise<void> {
    this.interfacesBefore = new Set(machineInterfaces());
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
        '--bridge=none',
        '--iptables=false',
        '--default-address-pool',
        `base=${unroutedPool()},size=24`,
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

  /** Every container, then every network this engine made, with its bridge (a network in use is not removed). */
  removeContainersAndNetworks(): void {
    const containers = this.docker(['ps', '-aq']).split('\n').filter(Boolean);
    if (containers.length > 0) this.docker(['rm', '-f', ...containers]);
    this.docker(['network', 'prune', '-f']);
  }

  async stop(): Promise<void> {
    const pid = this.daemon?.pid;
    if (pid !== undefined && isAlive(pid)) {
      this.removeContainersAndNetworks();
      process.kill(pid, 'SIGTERM');
      const deadline = Date.now() + 20_000;
      while (isAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Network interfaces the engine made that are still there after it stopped (none, or the next runs run out of addresses). */
  interfacesLeft(): string[] {
    return machineInterfaces().filter((name) => !this.interfacesBefore.has(name));
  }
}

/** Every network interface, down ones included (a left bridge is down, and os.networkInterfaces() lists only those up). */
const machineInterfaces = (): string[] => readdirSync('/sys/class/net');

/** An IPv4 route of the machine: its network and mask, as numbers. */
function machineRoutes(): { network: number; mask: number }[] {
  // /proc/net/route writes each address as 8 hex digits in the machine's (little-endian) byte order.
  const address = (hex: string): number => {
    const n = parseInt(hex, 16);
    return (((n & 0xff) << 24) | (((n >>> 8) & 0xff) << 16) | (((n >>> 16) & 0xff) << 8) | (n >>> 24)) >>> 0;
  };
  return readFileSync('/proc/net/route', 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields.length >= 8)
    .map((fields) => ({ network: address(fields[1]), mask: address(fields[7]) }))
    .filter((route) => route.mask !== 0); // the default route covers everything and overlaps nothing Docker checks
}

/**
 * Room for four networks (/24s in a /22) in a 10.x.0.0/16 no route of the machine overlaps (two networks overlap
 * when they agree on the shorter mask). Each test uses one network; four lets a test take them all.
 */
export function unroutedPool(routes = machineRoutes()): string {
  const mask16 = 0xffff0000;
  for (let i = 0; i < 200; i++) {
    const second = 50 + ((process.pid + i) % 200);
    const base = ((10 << 24) | (second << 16)) >>> 0;
    if (routes.every((route) => ((base ^ route.network) & mask16 & route.mask) >>> 0 !== 0)) return `10.${second}.0.0/22`;
  }
  throw new Error('every 10.x.0.0/16 overlaps a route of this machine, so the test engine has no address pool');
}
