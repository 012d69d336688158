/**
 * A private daemon for one benchmark: its own MULTISITE_LOCAL_HOME and hosts
 * file in a temp folder, started through the CLI (so it inherits that
 * environment, never the machine's /etc/hosts), stopped and checked on dispose.
 */
import { rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { connectToDaemon } from '../client/daemonClient';
import { DaemonHome } from '../home/daemonHome';
import type { DaemonLink } from '../client/daemonLink';
import { readDiscovery } from '../home/discovery';
import { isAlive } from '../home/processIdentity';
import { groupAlive, killGroup } from '../daemon/base/processGroup';
import { runCli } from '../test/support/cli';
import type { CliResult } from '../test/support/cli';
import { REPO_ROOT } from '../test/support/demoProject';
import { tempFolder } from '../test/support/tempProject';
import { onCleanup } from './cleanups';

export class BenchDaemon {
  readonly home = tempFolder('bench-home');
  readonly hostsFile = path.join(this.home, 'hosts');
  /** Process groups seen serving (runservers, backends): stopped on dispose if the daemon left any. */
  readonly groups = new Set<number>();
  readonly dispose: () => Promise<void>;

  constructor() {
    writeFileSync(this.hostsFile, '127.0.0.1\tlocalhost\n');
    this.dispose = onCleanup(() => this.stop());
  }

  get env(): NodeJS.ProcessEnv {
    return { MULTISITE_LOCAL_HOME: this.home, MULTISITE_LOCAL_HOSTS_FILE: this.hostsFile, MULTISITE_LOCAL_IDLE_MS: '600000' };
  }

  cli(args: string[], cwd = this.home): Promise<CliResult> {
    return runCli(args, this.env, cwd);
  }

  async start(): Promise<void> {
    const result = await this.cli(['daemon', 'start']);
    if (result.code !== 0) throw new Error(`multisite-local daemon start exited ${result.code}: ${result.stderr.trim()}`);
  }

  /** A protocol connection, as the extension holds one (the daemon must be started). */
  connect(): Promise<DaemonLink> {
    return connectToDaemon({ home: new DaemonHome(this.home), daemonScript: path.join(REPO_ROOT, 'dist', 'daemon.js'), autoStart: false });
  }

  pid(): number | null {
    return readDiscovery(new DaemonHome(this.home))?.pid ?? null;
  }

  /** Stops the daemon and any server it left, keeping the home (its code cache, as a person's daemon finds it the next day). */
  async stopDaemon(): Promise<void> {
    const pid = this.pid();
    if (pid !== null && isAlive(pid)) await this.cli(['daemon', 'stop']);
    if (pid !== null && isAlive(pid)) process.kill(pid, 'SIGKILL');
    for (const pgid of this.groups) if (groupAlive(pgid)) await killGroup(pgid, 1000);
    this.groups.clear();
  }

  private async stop(): Promise<void> {
    await this.stopDaemon();
    rmSync(this.home, { recursive: true, force: true });
  }
}
