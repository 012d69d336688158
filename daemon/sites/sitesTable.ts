/**
 * Reads django.contrib.sites' table the way the admin shows it (Sites > Sites),
 * through the project's own interpreter and `manage.py dumpdata`. This runs
 * project code, so callers only use it for trusted workspaces.
 */
import { execFile } from 'node:child_process';
import { lastLine } from '../sentence';

export interface TableSite {
  id: number;
  domain: string;
  name: string;
}

export type TableRead = { ok: true; sites: TableSite[] } | { ok: false; reason: string };

export function readSitesTable(root: string, python: string): Promise<TableRead> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.SITE_ID;
    execFile(
      python,
      ['manage.py', 'dumpdata', 'sites.site', '--format', 'json'],
      { cwd: root, env, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          const last = lastLine(stderr) ?? error.message;
          return resolve({ ok: false, reason: last });
        }
        try {
          const rows = JSON.parse(stdout) as { pk: unknown; fields?: { domain?: unknown; name?: unknown } }[];
          const sites = rows
            .filter((r) => typeof r.pk === 'number' && typeof r.fields?.domain === 'string')
            .map((r) => ({ id: r.pk as number, domain: r.fields?.domain as string, name: typeof r.fields?.name === 'string' ? r.fields.name : '' }));
          resolve({ ok: true, sites });
        } catch {
          resolve({ ok: false, reason: 'manage.py dumpdata did not print JSON' });
        }
      },
    );
  });
}
