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
import { DaemonError } from '../base/daemonError';
import { DaemonErrorCode } from '../../protocol/protocol';
import { lastLine } from '../base/sentence';
import { interpreterCandidates } from './interpreterCandidates';
import type { Candidate, InterpreterHints } from './interpreterCandidates';
import { howItEnded } from './projectCode';
import type { ProjectCode } from './projectCode';

export type { InterpreterHints } from './interpreterCandidates';

export interface Interpreter {
  path: string;
  /** Django's major version as this interpreter imports it (its rules for hosts and CSRF differ by version). */
  djangoMajor: number | null;
  /** Django's version in full ("4.2.11"), as `django.get_version()` says it. */
  djangoVersion: string | null;
  /** Why this one: where it came from, and the interpreters before it that could not import Django. */
  origin: string;
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

type Probe = { ok: true; djangoVersion: string | null } | { ok: false; why: string };

const PROBE_TIMEOUT_MS = 15_000;
const PROBE_ARGS = ['-c', 'import django; print(django.get_version())'];
const CANNOT_IMPORT = 'cannot import django';

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
  if (end.code === 0 && !end.stopped) return { ok: true, djangoVersion: /^\d+(\.\w+)*$/.test(printed) ? printed : null };
  const last = end.stopped ? null : lastLine(end.stderr);
  return { ok: false, why: last === null ? howItEnded(end, PROBE_TIMEOUT_MS) : last.includes('django') ? CANNOT_IMPORT : last };
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
 * search runs. Null when the first one to try is a bare name or none exists: the search decides.
 */
export async function firstExistingCandidate(root: string, hints: InterpreterHints): Promise<string | null> {
  for (const { command } of await interpreterCandidates(root, hints)) {
    if (!path.isAbsolute(command)) return null;
    if (await exists(command)) return command;
  }
  return null;
}

/** How a candidate that could not import Django is named in the origin of the one chosen after it. */
function skipped(candidate: Candidate, why: string): string {
  const what = candidate.pyenvShim
    ? `the pyenv shim ${candidate.command}`
    : candidate.onPath
      ? candidate.command
      : `${candidate.command} (${candidate.origin})`;
  return why === CANNOT_IMPORT ? `${what} could not import Django` : `${what} failed: ${why}`;
}

/** The first candidate that imports Django; each probe runs through `projectCode` (journaled, its own process group). */
export async function resolveInterpreter(root: string, hints: InterpreterHints, projectCode: ProjectCode): Promise<Interpreter> {
  const tried: string[] = [];
  // Interpreters that exist but could not run Django: the one chosen after them says so (a pyenv shim first on PATH).
  const passedOver: string[] = [];
  const candidates = await interpreterCandidates(root, hints);
  for (const candidate of candidates) {
    const { command, origin } = candidate;
    if (path.isAbsolute(command) && !(await exists(command))) {
      tried.push(`${command} (${origin}: not found)`);
      continue;
    }
    const result = await probe(projectCode, command, root);
    if (result.ok) {
      const major = result.djangoVersion === null ? null : Number(result.djangoVersion.split('.')[0]);
      const why = passedOver.length > 0 ? `${origin} (${passedOver.join('; ')})` : origin;
      return { path: command, djangoMajor: major, djangoVersion: result.djangoVersion, origin: why };
    }
    tried.push(`${command} (${origin}: ${result.why})`);
    passedOver.push(skipped(candidate, result.why));
  }
  // PATH has neither: said as before the walk, so the person knows it was looked at.
  if (!candidates.some((c) => c.onPath)) tried.push('python3 (PATH: not found)', 'python (PATH: not found)');
  throw new NoInterpreterError(root, tried);
}
