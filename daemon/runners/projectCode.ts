/**
 * The project's own code run once for an answer (the Sites table read, a
 * database or live-schema probe, migrate), so that it cannot outlive the
 * daemon: settings may hang (waiting for a service) or start processes of
 * their own, and a daemon killed meanwhile must leave nothing running. Like a
 * server, each run starts in its own process group through the gate
 * (gatedSpawn.ts), is in the process journal before any project code runs,
 * is stopped with its whole group when it takes too long, and is forgotten
 * only once its group is gone; the next daemon's recovery stops what a killed
 * one left. One owner of these runs: the daemon, through its journal.
 */
import type { ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { ProcessJournal } from '../journal/processJournal';
import { spawnGated } from './gatedSpawn';
import { killGroup } from '../base/processGroup';
import { withSettingsModule } from './settingsEnvironment';

export interface ProjectCodeSpec {
  python: string;
  args: string[];
  /** The project's folder: the run's working directory, and the root its journal entry names. */
  root: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** What runs, for the next daemon's log ("the Sites table read"). */
  label: string;
  /** How long the group has between SIGTERM and SIGKILL when it is stopped. */
  graceMs?: number;
}

export interface ProjectCodeEnd {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Why it could not run at all (the interpreter is missing), else null. */
  error: Error | null;
  /** Whether it was stopped, and why: it took longer than `timeoutMs`, or its caller asked. */
  stopped: 'timeout' | 'asked' | null;
}

export interface ProjectCodeRun {
  /** Its output streams: the caller decodes them (setEncoding) and reads them as they come. */
  readonly child: ChildProcessByStdio<null, Readable, Readable>;
  /** Resolves once its output ended and its whole process group is gone (and forgotten by the journal). */
  readonly ended: Promise<ProjectCodeEnd>;
  /** Stops its whole process group (what it started too); `ended` then says `stopped: 'asked'`. */
  stop(): void;
}

/** How a run that did not succeed ended, for the end of a sentence: "timed out after 15 s", "exited with code 2". */
export function howItEnded(end: ProjectCodeEnd, timeoutMs: number): string {
  if (end.error) return `could not run (${end.error.message})`;
  if (end.stopped === 'timeout') return `timed out after ${Math.round(timeoutMs / 1000)} s`;
  return end.signal ? `was stopped by ${end.signal}` : `exited with code ${end.code ?? '?'}`;
}

/** What `run` collected: the end and the decoded output, each stream's last `maxBytes` at most. */
export interface ProjectCodeOutput extends ProjectCodeEnd {
  stdout: string;
  stderr: string;
}

export class ProjectCode {
  constructor(
    private readonly journal: ProcessJournal,
    /** The settings module of the project whose runs these are (forProject), else undefined: each run's env as given. */
    private readonly settingsModule?: () => string | null,
  ) {}

  /** The same runs, journaled alike, each with `settingsModule()` as its DJANGO_SETTINGS_MODULE: one project's code. */
  forProject(settingsModule: () => string | null): ProjectCode {
    return new ProjectCode(this.journal, settingsModule);
  }

  /** Starts `spec` in its own journaled process group. */
  start(spec: ProjectCodeSpec): ProjectCodeRun {
    const graceMs = spec.graceMs ?? 1000;
    const child = spawnGated({
      python: spec.python,
      args: spec.args,
      cwd: spec.root,
      env: this.settingsModule ? withSettingsModule({ ...spec.env }, this.settingsModule()) : spec.env,
      // The gate's exec keeps the pid and start time; the command line becomes `python args…`, which the marker matches
      // (trimmed as recovery trims command lines: a script argument may end in a newline).
      record: (leader) => this.journal.record({ pgid: leader, root: spec.root, marker: spec.args.join(' ').trim(), label: spec.label }),
    });
    const pid = child.pid;
    let stopped: ProjectCodeEnd['stopped'] = null;
    let stopping: Promise<void> | null = null;
    const stopGroup = (why: 'timeout' | 'asked'): void => {
      if (stopping || pid === undefined) return;
      stopped = why;
      stopping = killGroup(pid, graceMs);
    };
    const timer = setTimeout(() => stopGroup('timeout'), spec.timeoutMs);
    // Once the leader exited, what the project's code started must not outlive it (nor hold its output open):
    // the rest of the group goes too, and only then is the entry forgotten.
    let groupGone: Promise<void> = Promise.resolve();
    child.on('exit', () => {
      clearTimeout(timer);
      if (pid === undefined) return;
      groupGone = (async () => {
        if (stopping) await stopping;
        await killGroup(pid, graceMs);
        this.journal.forget(pid);
      })();
    });
    const ended = new Promise<ProjectCodeEnd>((resolve) => {
      let error: Error | null = null;
      child.on('error', (e) => {
        error = e;
        // Never spawned: no group, no entry, and maybe no 'close' to wait for.
        if (pid === undefined) {
          clearTimeout(timer);
          resolve({ code: null, signal: null, error, stopped: null });
        }
      });
      child.on('close', (code, signal) => {
        if (pid === undefined) return;
        void groupGone.then(() => resolve({ code, signal, error, stopped }));
      });
    });
    return { child, ended, stop: () => stopGroup('asked') };
  }

  /** Runs `spec` to its end and collects its output, decoded as UTF-8 by the streams (a character split between chunks stays whole). */
  async run(spec: ProjectCodeSpec, maxBytes = 8 << 20): Promise<ProjectCodeOutput> {
    const run = this.start(spec);
    const output = { stdout: '', stderr: '' };
    for (const stream of ['stdout', 'stderr'] as const) {
      run.child[stream].setEncoding('utf8');
      run.child[stream].on('data', (chunk: string) => (output[stream] = (output[stream] + chunk).slice(-maxBytes)));
    }
    return { ...(await run.ended), ...output };
  }
}
