/**
 * Finds the Python interpreter that runs a project: the first candidate that
 * exists and can import Django. A `python3` without Django beside a working
 * virtualenv is the common case, so every candidate is actually probed.
 * A probe is a run of the project's code like any other (a virtualenv's
 * `.pth` files and `sitecustomize` run at every start, and the interpreter
 * setting may name any program): it goes through runners/projectCode.ts,
 * journaled in its own process group, so nothing it starts outlives it or a
 * daemon killed meanwhile.
 */
import { access } from 'node:fs/promises';
import * as path from 'node:path';
import { DaemonError } from '../daemonError';
import { DaemonErrorCode } from '../protocol/protocol';
import { lastLine } from '../sentence';
import { howItEnded } from './projectCode';
import type { ProjectCode } from './projectCode';

export interface InterpreterHints {
  virtualEnv?: string | null;
  pythonPath?: string | null;
}

export interface Interpreter {
  path: string;
  /** Django's major version as this interpreter imports it (its rules for hosts and CSRF differ by version). */
  djangoMajor: number | null;
}

/** No candidate can import Django; `tried` names each candidate, where it came from and why it failed. */
export class NoInterpreterError extends DaemonError {
  constructor(
    root: string,
    readonly tried: readonly string[],
  ) {
    super(
      DaemonErrorCode.NoInterpreter,
      `No Python interpreter for ${path.basename(root)} can import Django (tried ${tried.join(', ')}): create a virtualenv with Django in .venv or set python.defaultInterpreterPath.`,
    );
  }
}

interface Candidate {
  command: string;
  origin: string;
}

const isWindows = process.platform === 'win32';
const venvPython = (venv: string): string => (isWindows ? path.join(venv, 'Scripts', 'python.exe') : path.join(venv, 'bin', 'python'));

/** Candidates in the order a developer expects them to win. */
export function interpreterCandidates(root: string, hints: InterpreterHints): Candidate[] {
  const candidates: Candidate[] = [
    { command: venvPython(path.join(root, '.venv')), origin: '.venv' },
    { command: venvPython(path.join(root, 'venv')), origin: 'venv' },
  ];
  if (hints.virtualEnv) candidates.push({ command: venvPython(hints.virtualEnv), origin: 'VIRTUAL_ENV' });
  if (hints.pythonPath) {
    // A bare name ("python3.12") is looked up on PATH; a path is relative to the project.
    const command = /[\\/]/.test(hints.pythonPath) ? path.resolve(root, hints.pythonPath) : hints.pythonPath;
    candidates.push({ command, origin: 'the Python interpreter setting' });
  }
  candidates.push({ command: 'python3', origin: 'PATH' }, { command: 'python', origin: 'PATH' });
  return candidates;
}

type Probe = { ok: true; djangoMajor: number | null } | { ok: false; why: string };

const PROBE_TIMEOUT_MS = 15_000;
const PROBE_ARGS = ['-c', 'import django; print(django.VERSION[0])'];

async function probe(projectCode: ProjectCode, command: string, root: string): Promise<Probe> {
  // No shell: the command is a path or a bare name, passed as argv[0].
  const end = await projectCode.run({
    python: command,
    args: PROBE_ARGS,
    root,
    env: { ...process.env },
    timeoutMs: PROBE_TIMEOUT_MS,
    label: `interpreter probe (${command})`,
  });
  if (end.error) return { ok: false, why: (end.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : end.error.message };
  const printed = end.stdout.trim();
  if (end.code === 0 && !end.stopped) return { ok: true, djangoMajor: /^\d+$/.test(printed) ? Number(printed) : null };
  const last = end.stopped ? null : lastLine(end.stderr);
  return { ok: false, why: last === null ? howItEnded(end, PROBE_TIMEOUT_MS) : last.includes('django') ? 'cannot import django' : last };
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * The first candidate that exists, without running it: the search's answer whenever that one can
 * import Django (every candidate before it is missing), so a server can start with it while the
 * search runs. A bare name (found on PATH) counts as existing.
 */
export async function firstExistingCandidate(root: string, hints: InterpreterHints): Promise<string> {
  const candidates = interpreterCandidates(root, hints);
  for (const { command } of candidates) if (!path.isAbsolute(command) || (await exists(command))) return command;
  return candidates[candidates.length - 1].command;
}

/** The first candidate that imports Django; each probe runs through `projectCode` (journaled, its own process group). */
export async function resolveInterpreter(root: string, hints: InterpreterHints, projectCode: ProjectCode): Promise<Interpreter> {
  const tried: string[] = [];
  for (const { command, origin } of interpreterCandidates(root, hints)) {
    if (path.isAbsolute(command) && !(await exists(command))) {
      tried.push(`${command} (${origin}: not found)`);
      continue;
    }
    const result = await probe(projectCode, command, root);
    if (result.ok) return { path: command, djangoMajor: result.djangoMajor };
    tried.push(`${command} (${origin}: ${result.why})`);
  }
  throw new NoInterpreterError(root, tried);
}
