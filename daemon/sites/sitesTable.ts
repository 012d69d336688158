/**
 * Reads django.contrib.sites' table the way the admin shows it (Sites > Sites),
 * through the project's own interpreter and `manage.py dumpdata`. This runs
 * project code, so callers only use it for trusted workspaces. Project code can
 * hang (settings waiting for a service) or start processes of its own, so the
 * read runs in its own process group, waits as long as a server start may
 * (MULTISITE_LOCAL_READY_TIMEOUT_MS), and then stops the whole group; it is
 * journaled like a server (runners/projectCode.ts), so not even a daemon
 * killed meanwhile leaves it running.
 */
import * as path from 'node:path';
import { howItEnded } from '../runners/projectCode';
import type { ProjectCode, ProjectCodeRun } from '../runners/projectCode';
import { READY_TIMEOUT_MS } from '../runners/runner';
import { lastLine } from '../sentence';

export interface TableSite {
  id: number;
  domain: string;
  name: string;
}

export type TableRead = { ok: true; sites: TableSite[] } | { ok: false; reason: string };

/** More output than a Sites table of any size prints: the read stops there. */
const MAX_OUTPUT = 16 * 1024 * 1024;

function parseTable(stdout: string): TableRead {
  try {
    const rows = JSON.parse(stdout) as { pk: unknown; fields?: { domain?: unknown; name?: unknown } }[];
    const sites = rows
      .filter((r) => typeof r.pk === 'number' && typeof r.fields?.domain === 'string')
      .map((r) => ({ id: r.pk as number, domain: r.fields?.domain as string, name: typeof r.fields?.name === 'string' ? r.fields.name : '' }));
    return { ok: true, sites };
  } catch {
    return { ok: false, reason: 'manage.py dumpdata did not print JSON' };
  }
}

export async function readSitesTable(projectCode: ProjectCode, root: string, python: string, timeoutMs = READY_TIMEOUT_MS): Promise<TableRead> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.SITE_ID;
  const command = ['manage.py', 'dumpdata', 'sites.site', '--format', 'json'];
  let run: ProjectCodeRun;
  try {
    run = projectCode.start({ python, args: command, root, env, timeoutMs, label: 'Sites table read (manage.py dumpdata)' });
  } catch (error) {
    return { ok: false, reason: (error as Error).message }; // the journal could not be written: nothing ran
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
  if (end.error) return { ok: false, reason: end.error.message };
  // A stopped read is told by why it was stopped, not by how it exited.
  if (end.stopped === 'timeout') {
    return {
      ok: false,
      reason: `reading the Sites table of ${path.basename(root)} timed out after ${Math.round(timeoutMs / 1000)} s (MULTISITE_LOCAL_READY_TIMEOUT_MS); manage.py dumpdata was stopped with its process group`,
    };
  }
  if (tooMuch) return { ok: false, reason: `manage.py dumpdata printed more than ${MAX_OUTPUT / 1024 / 1024} MB` };
  if (end.code === 0) return parseTable(stdout);
  return { ok: false, reason: lastLine(stderr) ?? `${python} ${command.join(' ')} ${howItEnded(end, timeoutMs)}` };
}
