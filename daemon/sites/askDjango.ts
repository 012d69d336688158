/**
 * "Ask Django" (issue 22): one run of the project's own code per read, through
 * `manage.py shell -c` (askDjangoScript.ts), for what only Django knows: the
 * effective settings, the multi-site frameworks installed and every site row
 * of each, and Django's system checks. It runs project code, so only where the
 * project's code may run (trusted workspaces, the CLI); journaled in its own
 * process group (runners/projectCode.ts) and stopped with the whole group
 * after the start timeout. Its failure (an import error, settings that raise)
 * is a reason with the exception's last line and the project file and line it
 * points at.
 */
import * as path from 'node:path';
import { howItEnded } from '../runners/projectCode';
import type { ProjectCode, ProjectCodeRun } from '../runners/projectCode';
import { READY_TIMEOUT_MS } from '../runners/runner';
import { lastLine } from '../base/sentence';
import { ASK_DJANGO_MARKER, ASK_DJANGO_SCRIPT } from './askDjangoScript';
import { parseDjangoFacts, pointOfFailure } from './djangoFacts';
import type { DjangoFacts } from './djangoFacts';

export type DjangoRead = { ok: true; facts: DjangoFacts } | { ok: false; reason: string; file: string | null; line: number | null };

/** More output than any project's answer: the read stops there. */
const MAX_OUTPUT = 32 * 1024 * 1024;

export async function askDjango(projectCode: ProjectCode, root: string, python: string, timeoutMs = READY_TIMEOUT_MS): Promise<DjangoRead> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.SITE_ID; // what the settings do without a forced site
  let run: ProjectCodeRun;
  try {
    run = projectCode.start({ python, args: ['manage.py', 'shell', '-c', ASK_DJANGO_SCRIPT], root, env, timeoutMs, label: 'Django read (manage.py shell)' });
  } catch (error) {
    return { ok: false, reason: (error as Error).message, file: null, line: null }; // the journal could not be written: nothing ran
  }
  let stdout = '';
  let stderr = '';
  let tooMuch = false;
  // Decoded by the streams, so a character split between two chunks (a domain in Unicode) stays whole.
  run.child.stdout.setEncoding('utf8');
  run.child.stderr.setEncoding('utf8');
  run.child.stdout.on('data', (chunk: string) => {
    stdout += chunk;
    if (stdout.length <= MAX_OUTPUT || tooMuch) return;
    tooMuch = true;
    run.stop();
  });
  run.child.stderr.on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-64 * 1024)));
  const end = await run.ended;
  const failed = (reason: string): DjangoRead => ({ ok: false, reason, file: null, line: null });
  if (end.error) return failed(end.error.message);
  if (end.stopped === 'timeout') {
    return failed(
      `asking Django about ${path.basename(root)} timed out after ${Math.round(timeoutMs / 1000)} s (MULTISITE_LOCAL_READY_TIMEOUT_MS); manage.py shell was stopped with its process group`,
    );
  }
  if (tooMuch) return failed(`manage.py shell printed more than ${MAX_OUTPUT / 1024 / 1024} MB`);
  const at = stdout.lastIndexOf(`\n${ASK_DJANGO_MARKER}\n`);
  if (end.code === 0 && at >= 0) {
    const facts = parseDjangoFacts(stdout.slice(at + ASK_DJANGO_MARKER.length + 2));
    return facts ? { ok: true, facts } : failed('manage.py shell printed no answer Django could have given');
  }
  const point = pointOfFailure(stderr, root);
  const reason = lastLine(stderr) ?? `manage.py shell ${howItEnded(end, timeoutMs)}`;
  return { ok: false, reason, file: point?.file ?? null, line: point?.line ?? null };
}
