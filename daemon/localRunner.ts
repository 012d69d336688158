/**
 * Runs `manage.py runserver` for a project in its own process group and tells
 * when it answers HTTP. SITE_ID is passed through the environment only.
 */
import { spawn } from 'node:child_process';
import * as readline from 'node:readline';
import { answersHttp } from './httpReady';
import { killGroup } from './processGroup';

export interface RunserverOptions {
  root: string;
  python: string;
  port: number;
  /** Forced site, or null to let the request's Host pick it. */
  siteId: number | null;
  onLog(stream: 'stdout' | 'stderr', text: string): void;
  /** Called once when the server's process exits on its own (not through stop()). */
  onUnexpectedExit(description: string): void;
}

/** The command-line marker that identifies our servers in the process journal. */
export const RUNSERVER_MARKER = 'manage.py runserver';

const STDERR_TAIL = 15;

export class RunningServer {
  readonly url: string;
  private exited = false;
  private stopping = false;
  private readonly exitPromise: Promise<string>;
  private readonly stderrTail: string[] = [];

  private constructor(
    readonly pid: number,
    private readonly options: RunserverOptions,
    child: ReturnType<typeof spawn>,
  ) {
    this.url = `http://127.0.0.1:${options.port}/`;
    const lines = (stream: NodeJS.ReadableStream, name: 'stdout' | 'stderr'): void => {
      readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', (text) => {
        if (name === 'stderr') {
          this.stderrTail.push(text);
          if (this.stderrTail.length > STDERR_TAIL) this.stderrTail.shift();
        }
        options.onLog(name, text);
      });
    };
    if (child.stdout) lines(child.stdout, 'stdout');
    if (child.stderr) lines(child.stderr, 'stderr');
    this.exitPromise = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exited = true;
        const description = signal ? `was stopped by ${signal}` : `exited with code ${code ?? '?'}`;
        if (!this.stopping) options.onUnexpectedExit(description);
        resolve(description);
      });
    });
  }

  static start(options: RunserverOptions): RunningServer {
    const env: NodeJS.ProcessEnv = { ...process.env, PYTHONUNBUFFERED: '1' };
    delete env.SITE_ID; // never inherit a forced site from the daemon's own environment
    if (options.siteId !== null) env.SITE_ID = String(options.siteId);
    const child = spawn(options.python, ['manage.py', 'runserver', `127.0.0.1:${options.port}`], {
      cwd: options.root,
      env,
      detached: true, // own process group, killed as a whole
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (child.pid === undefined) {
      throw new Error(`could not start ${options.python} in ${options.root}`);
    }
    return new RunningServer(child.pid, options, child);
  }

  /** Resolves when the server answers HTTP; rejects if it exits, times out or `signal` aborts. */
  async waitUntilReady(timeoutMs: number, signal: AbortSignal): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.exited) {
      if (signal.aborted) throw new Error('superseded');
      if (await answersHttp(this.options.port)) return;
      if (Date.now() > deadline) {
        throw new Error(`runserver did not answer at ${this.url} within ${Math.round(timeoutMs / 1000)} s${this.tail()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`runserver ${await this.exitPromise} before it answered${this.tail()}`);
  }

  private tail(): string {
    const lines = this.stderrTail.filter((l) => l.trim() !== '');
    return lines.length ? `: ${lines.slice(-3).join(' | ')}` : '';
  }

  /** Stops the whole process group and waits until it is gone. */
  async stop(): Promise<void> {
    this.stopping = true;
    await killGroup(this.pid);
  }
}
