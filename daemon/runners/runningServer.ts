/**
 * Runs `manage.py runserver` for a project in its own process group and tells
 * when it answers HTTP. SITE_ID is passed through the environment only.
 * runserver's autoreloader serves from a child in the same group (the gate is
 * its parent: gatedSpawn.ts), so when the group leader exits for any reason
 * (killed itself, or its child died) the rest of the group is stopped too:
 * nothing keeps serving unseen.
 */
import type { ChildProcessByStdio } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import * as readline from 'node:readline';
import { debugpyArgs, withPythonPath } from './debugpy';
import type { DebugOptions } from './debugpy';
import { acceptsConnections, answersHttp, pollUntilReady } from './httpReady';
import { isListening, listenerOwner } from './portOwner';
import { spawnGated } from './gatedSpawn';
import { killGroup } from '../base/processGroup';
import { withSettingsModule } from './settingsEnvironment';
import { CHECK_HEADER, CHECK_PATH, PER_REQUEST_SCRIPT, SECRET_VARIABLE } from './perRequestScript';
import type { PerRequestStart } from './runner';

export interface RunserverOptions {
  root: string;
  python: string;
  /** DJANGO_SETTINGS_MODULE for the server (settingsEnvironment.ts); null: what manage.py names. */
  settingsModule?: string | null;
  port: number;
  /** Forced site, or null to let the request's Host pick it. */
  siteId: number | null;
  /** The Host the readiness probe sends (see StartRequest.readyHost); absent: `127.0.0.1:<port>`. */
  readyHost?: string;
  /** Run under debugpy (StartRequest.debug): ready once debugpy listens too. */
  debug?: DebugOptions | null;
  /** One server for every site (StartRequest.perRequest): the bootstrap's secret is the one the proxy's marks carry. */
  perRequest?: PerRequestStart | null;
  onLog(stream: 'stdout' | 'stderr', text: string): void;
  /** Called once when the server's process exited on its own (not through stop()) and its whole group is gone. */
  onUnexpectedExit(description: string): void;
  /** Journals the server's group (its leader's pid) after the spawn and before runserver may run: see gatedSpawn.ts. */
  record(pid: number): void;
}

/** The command-line marker that identifies our servers in the process journal. */
export const RUNSERVER_MARKER = 'manage.py runserver';

/** How many of its last output lines a server keeps for the sentence that reports its end. */
const OUTPUT_TAIL = 15;

export class RunningServer {
  readonly url: string;
  private exited = false;
  private stopping = false;
  private answered = false;
  /** Resolves with how the leader ended, once no process of the group is left. */
  private readonly gone: Promise<string>;
  /** Its last lines on stdout and stderr as they came: project code prints to stdout, Django's own errors go to stderr. */
  private readonly outputTail: string[] = [];
  private taken = false;

  private constructor(
    readonly pid: number,
    private readonly options: RunserverOptions,
    child: ChildProcessByStdio<null, Readable, Readable>,
    /** The secret the bootstrap's readiness path answers to (null under debugpy: no bootstrap). */
    private readonly secret: string | null,
  ) {
    this.url = `http://127.0.0.1:${options.port}/`;
    const lines = (stream: NodeJS.ReadableStream, name: 'stdout' | 'stderr'): void => {
      readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', (text) => {
        if (name === 'stderr') {
          // Django's runserver exits on this; Daphne's says "Address already in use" and keeps
          // running without a port, so it is stopped here and the start tries another port.
          if (/port is already in use|address already in use/i.test(text)) {
            this.taken = true;
            if (!this.answered) void killGroup(this.pid);
          }
        }
        this.outputTail.push(text);
        if (this.outputTail.length > OUTPUT_TAIL) this.outputTail.shift();
        options.onLog(name, text);
      });
    };
    if (child.stdout) lines(child.stdout, 'stdout');
    if (child.stderr) lines(child.stderr, 'stderr');
    this.gone = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exited = true;
        const description = signal ? `was stopped by ${signal}` : `exited with code ${code ?? '?'}`;
        // The autoreloader's child (or anything else in the group) must not outlive the leader.
        void killGroup(this.pid).then(() => {
          if (!this.stopping) options.onUnexpectedExit(description);
          resolve(description);
        });
      });
    });
  }

  /** Whether waitUntilReady() saw our own process answer. */
  get ready(): boolean {
    return this.answered;
  }

  /** Whether runserver said its port was taken (another process bound it first). */
  get portTaken(): boolean {
    return this.taken;
  }

  static start(options: RunserverOptions): RunningServer {
    const env: NodeJS.ProcessEnv = { ...process.env, PYTHONUNBUFFERED: '1' };
    delete env.SITE_ID; // never inherit a forced site from the daemon's own environment
    if (options.siteId !== null) env.SITE_ID = String(options.siteId);
    withSettingsModule(env, options.settingsModule);
    const debug = options.debug ?? null;
    // The bootstrap (perRequestScript.ts) runs first but under debugpy, whose server is only connected to.
    const secret = debug ? null : (options.perRequest?.secret ?? randomBytes(16).toString('hex'));
    if (secret) env[SECRET_VARIABLE] = secret;
    const child = spawnGated({
      python: options.python,
      args: [...(debug ? debugpyArgs(debug.port) : []), ...(secret ? ['-c', PER_REQUEST_SCRIPT] : []), 'manage.py', 'runserver', `127.0.0.1:${options.port}`],
      cwd: options.root,
      env: withPythonPath(env, debug?.pythonPath ?? null),
      record: (pid) => options.record(pid),
      // The gate is the autoreloader's parent: Django's would import the whole project once more. Under
      // debugpy, Django's parent runs, under debugpy too: debugpy follows the server it starts (and each
      // one after an edit) into the same debug session, which a forked gate's child would not get.
      reloader: !debug,
    });
    if (child.pid === undefined) {
      throw new Error(`could not start ${options.python} in ${options.root}`);
    }
    return new RunningServer(child.pid, options, child, secret);
  }

  /**
   * Resolves when our own process answers HTTP (another server answering on the
   * port does not count); rejects if it exits, times out or `signal` aborts.
   */
  async waitUntilReady(timeoutMs: number, signal: AbortSignal): Promise<void> {
    this.answered = await pollUntilReady({
      ready: async (budgetMs) =>
        // Under debugpy, a connection, not a request (see httpReady.ts): no breakpoint stops the probe.
        (await (this.options.debug
          ? acceptsConnections(this.options.port, budgetMs)
          : answersHttp(this.options.port, { hostHeader: this.options.readyHost, ...this.readinessPath() }, budgetMs))) &&
        !this.exited &&
        (await listenerOwner(this.options.port, this.pid)) !== 'theirs' &&
        // debugpy listens before the project's code runs; a debugger attaching at once must find it. Its
        // adapter, which holds the port, is a process of its own session (it ends when the server does).
        (!this.options.debug || isListening(this.options.debug.port)),
      gone: () => this.exited,
      timeoutMs,
      // Often enough that noticing the answer adds little to a cold start (npm run bench, figures 2 and 8):
      // a look at a port nobody listens on yet is refused at once, so looking often costs next to nothing.
      intervalMs: 10,
      signal,
      timedOut: () => new Error(`runserver did not answer at ${this.url} within ${Math.round(timeoutMs / 1000)} s${this.tail()}`),
    });
    if (this.answered) return;
    throw new Error(`runserver ${await this.gone} before it answered${this.tail()}`);
  }

  /**
   * The server is probed where its bootstrap answers, after the project's middleware: no page is
   * rendered for the probe, so none is cached for an internal address (django CMS caches a `HEAD /`).
   */
  private readinessPath(): { path?: string; headers?: Record<string, string> } {
    return this.secret ? { path: CHECK_PATH, headers: { [CHECK_HEADER]: this.secret } } : {};
  }

  /** The server's last output lines, as `: a | b | c` (empty when it wrote none). */
  tail(): string {
    const lines = this.outputTail.filter((l) => l.trim() !== '');
    return lines.length ? `: ${lines.slice(-3).join(' | ')}` : '';
  }

  /** Stops the whole process group and waits until it is gone. */
  async stop(): Promise<void> {
    this.stopping = true;
    await killGroup(this.pid);
    if (this.exited) await this.gone;
  }
}
