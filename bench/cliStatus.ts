/**
 * Figure 6: `multisite-local status` (the bundled CLI, a running daemon) from
 * spawn to exit, against `node -e 0`, the cost of starting Node at all.
 */
import { spawn } from 'node:child_process';
import { CLI } from '../test/support/cli';
import { BenchDaemon } from './benchDaemon';
import type { Benchmark } from './benchmark';
import { atMost, measured } from './report';
import { elapsedMs, inTurn, ratios } from './stats';

const FIGURE = '6 CLI status';

/** Milliseconds from spawning `node ...args` to its exit; rejects unless it exits 0 and `check` accepts its output. */
function timeNode(args: string[], env: NodeJS.ProcessEnv, cwd: string, check: (stdout: string) => boolean = () => true): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = elapsedMs(start);
      if (code === 0 && check(stdout)) resolve(ms);
      else reject(new Error(`node ${args.join(' ')} exited ${code}: ${stderr.trim() || stdout.trim()}`));
    });
  });
}

export const cliStatus: Benchmark = {
  key: 'cli',
  title: '6. CLI status',
  async run(options) {
    const daemon = new BenchDaemon();
    try {
      await daemon.start();
      const status = (): Promise<number> => timeNode([CLI, 'status'], daemon.env, daemon.home, (out) => out.startsWith('Daemon pid '));
      const bare = (): Promise<number> => timeNode(['-e', '0'], {}, daemon.home);
      await status(); // untimed: the bundle and Node itself into the page cache
      await bare();
      const statusMs: number[] = [];
      const bareMs: number[] = [];
      for (let run = 0; run < options.runs; run++) {
        const [statusRun, bareRun] = await inTurn(run, status, bare);
        statusMs.push(statusRun);
        bareMs.push(bareRun);
      }
      return [
        measured(FIGURE, 'node -e 0 (ms)', 'ms', bareMs),
        measured(FIGURE, 'node dist/cli.js status (ms)', 'ms', statusMs),
        measured(FIGURE, 'status / node -e 0', 'x', ratios(statusMs, bareMs), atMost(1.5)),
      ];
    } finally {
      await daemon.dispose();
    }
  },
};
