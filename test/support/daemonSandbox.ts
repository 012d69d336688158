/**
 * A private world for one test suite: its own daemon home, hosts file and demo
 * copy. `dispose()` stops the daemon through the CLI and then makes sure no
 * process it recorded survives (by pid and process group, never by name).
 */
import { readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { connectToDaemon } from '../../client/daemonClient';
import type { DaemonLink } from '../../client/daemonLink';
import { readDiscovery } from '../../home/discovery';
import { DaemonHome } from '../../home/daemonHome';
import { groupAlive, killGroup } from '../../daemon/base/processGroup';
import { isAlive } from '../../home/processIdentity';
import { runCli, runCliJson } from './cli';
import type { CliResult } from './cli';
import { copyDemo, copyProject, REPO_ROOT } from './demoProject';
import { tempFolder } from './tempProject';

export class DaemonSandbox {
  readonly home = tempFolder('home');
  readonly hostsFile = path.join(this.home, 'hosts');
  readonly demo: string;
  /** Process groups the tests saw started; checked and cleaned at the end. */
  readonly startedGroups = new Set<number>();

  /** `project`: a copy of this folder instead of the demo (`setup` runs its venv and migrations). */
  constructor(
    readonly extraEnv: NodeJS.ProcessEnv = {},
    project?: { source: string; setup: boolean },
  ) {
    try {
      this.demo = project ? copyProject(project.source, project.setup) : copyDemo();
    } catch (error) {
      rmSync(this.home, { recursive: true, force: true }); // no dispose() will run for a failed constructor
      throw error;
    }
    writeFileSync(this.hostsFile, '127.0.0.1\tlocalhost\n');
  }

  get env(): NodeJS.ProcessEnv {
    return { MULTISITE_LOCAL_HOME: this.home, MULTISITE_LOCAL_HOSTS_FILE: this.hostsFile, MULTISITE_LOCAL_IDLE_MS: '600000', ...this.extraEnv };
  }

  cli(args: string[], cwd = this.demo): Promise<CliResult> {
    return runCli(args, this.env, cwd);
  }

  cliJson<T>(args: string[], cwd = this.demo): Promise<T> {
    return runCliJson<T>(args, this.env, cwd);
  }

  /**
   * A protocol connection to this sandbox's daemon, as the extension has. The daemon is started
   * through the CLI when none runs: one the connection started would have the test process's
   * environment, not the sandbox's (its hosts file, its timeouts).
   */
  async connect(): Promise<DaemonLink> {
    const pid = this.daemonPid();
    if (pid === null || !isAlive(pid)) {
      const started = await this.cli(['daemon', 'start']);
      if (started.code !== 0) throw new Error(`the sandbox daemon did not start: ${started.stderr}`);
    }
    return connectToDaemon({ home: new DaemonHome(this.home), daemonScript: path.join(REPO_ROOT, 'dist', 'daemon.js'), autoStart: false });
  }

  daemonPid(): number | null {
    return readDiscovery(new DaemonHome(this.home))?.pid ?? null;
  }

  /** Processes whose working directory is inside the demo copy (Linux). */
  processesInDemo(): number[] {
    const pids: number[] = [];
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const cwd = readlinkSync(`/proc/${entry}/cwd`);
        if (cwd === this.demo || cwd.startsWith(`${this.demo}/`)) pids.push(Number(entry));
      } catch {
        // Gone, or not ours to read.
      }
    }
    return pids;
  }

  async dispose(): Promise<void> {
    const pid = this.daemonPid();
    if (pid !== null && isAlive(pid)) await this.cli(['daemon', 'stop']);
    if (pid !== null && isAlive(pid)) process.kill(pid, 'SIGKILL');
    for (const pgid of this.startedGroups) if (groupAlive(pgid)) await killGroup(pgid, 1000);
    rmSync(this.home, { recursive: true, force: true });
    rmSync(this.demo, { recursive: true, force: true });
  }
}
