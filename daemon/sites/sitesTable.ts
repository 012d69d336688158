/**
 * Reads django.contrib.sites' table the way the admin shows it (Sites > Sites),
 * through the project's own interpreter and `manage.py dumpdata`. This runs
 * project code, so callers only use it for trusted workspaces. Project code can
 * hang (settings waiting for a service) or start processes of its own, so the
 * read runs in its own process group, waits as long as a server start may
 * (MULTISITE_LOCAL_READY_TIMEOUT_MS), and then stops the whole group.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { killGroup } from '../runners/processGroup';
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

export function readSitesTable(root: string, python: string, timeoutMs = READY_TIMEOUT_MS): Promise<TableRead> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.SITE_ID;
    const command = ['manage.py', 'dumpdata', 'sites.site', '--format', 'json'];
    const child = spawn(python, command, { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let settled = false;
    /** Set once the read is being stopped: the sentence is the stop's, not the exit's. */
    let stopping = false;
    const finish = (read: TableRead): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(read);
    };
    /** Stops the whole group (what the project's code started too), then answers `reason`. */
    const stop = (reason: string): void => {
      if (stopping) return;
      stopping = true;
      if (child.pid === undefined) return finish({ ok: false, reason });
      void killGroup(child.pid, 1000).then(() => finish({ ok: false, reason }));
    };
    const timer = setTimeout(
      () =>
        stop(
          `reading the Sites table of ${path.basename(root)} timed out after ${Math.round(timeoutMs / 1000)} s (MULTISITE_LOCAL_READY_TIMEOUT_MS); manage.py dumpdata was stopped with its process group`,
        ),
      timeoutMs,
    );
    let stdout = '';
    let stderr = '';
    // Decoded by the streams, so a character split between two chunks (a domain in Unicode) stays whole.
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.length > MAX_OUTPUT) stop(`manage.py dumpdata printed more than ${MAX_OUTPUT / 1024 / 1024} MB`);
    });
    child.stderr.on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-64 * 1024)));
    child.on('error', (error) => finish({ ok: false, reason: error.message }));
    // What the project's code started must not outlive the read (nor hold its output open).
    child.on('exit', () => {
      if (child.pid !== undefined) void killGroup(child.pid, 1000);
    });
    child.on('close', (code, signal) => {
      if (settled || stopping) return;
      if (code === 0) return finish(parseTable(stdout));
      const how = signal ? `was stopped by ${signal}` : `exited with code ${code ?? '?'}`;
      finish({ ok: false, reason: lastLine(stderr) ?? `${python} ${command.join(' ')} ${how}` });
    });
  });
}
