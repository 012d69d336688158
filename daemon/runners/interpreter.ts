/**
 * Finds the Python interpreter that runs a project: the first candidate that
 * exists and can import Django. A `python3` without Django beside a working
 * virtualenv is the common case, so every candidate is actually probed.
 */
import { execFile } from 'node:child_process';
import { access } from 'node:fs/promises';
import * as path from 'node:path';
import { DaemonError } from '../daemonError';
import { DaemonErrorCode } from '../protocol/protocol';
import { lastLine } from '../sentence';

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

function probe(command: string, cwd: string): Promise<Probe> {
  return new Promise((resolve) => {
    // No shell: the command is a path or a bare name, passed as argv[0].
    execFile(command, ['-c', 'import django; print(django.VERSION[0])'], { cwd, timeout: 15_000 }, (error, stdout, stderr) => {
      if (!error) return resolve({ ok: true, djangoMajor: /^\d+$/.test(stdout.trim()) ? Number(stdout.trim()) : null });
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return resolve({ ok: false, why: 'not found' });
      const last = lastLine(stderr) ?? error.message;
      resolve({ ok: false, why: last.includes('django') ? 'cannot import django' : last });
    });
  });
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

export async function resolveInterpreter(root: string, hints: InterpreterHints): Promise<Interpreter> {
  const tried: string[] = [];
  for (const { command, origin } of interpreterCandidates(root, hints)) {
    if (path.isAbsolute(command) && !(await exists(command))) {
      tried.push(`${command} (${origin}: not found)`);
      continue;
    }
    const result = await probe(command, root);
    if (result.ok) return { path: command, djangoMajor: result.djangoMajor };
    tried.push(`${command} (${origin}: ${result.why})`);
  }
  throw new NoInterpreterError(root, tried);
}
