/**
 * The self-check of one server for every site (issue 27), after each start: two sites are asked
 * for, straight at the server's port with this start's secret (the proxy never passes the check
 * header on), and each answer must be the site asked for: `settings.SITE_ID`,
 * `Site.objects.get_current()`, the site's own URLs built without an error, and no module that
 * read the site while it was imported (perRequestScript.ts). Anything else is a sentence saying
 * why the project must be served by a server per site.
 */
import { request } from 'node:http';
import * as path from 'node:path';
import type { Site } from '../../protocol/protocol';
import { siteLabel } from '../../protocol/siteLabel';
import { CHECK_HEADER, CHECK_PATH, SITE_HEADER } from '../runners/perRequestScript';
import type { Backend } from '../proxy/backend';
import type { Lease } from '../proxy/backendPool';

/** What the bootstrap answers for one site. */
interface CheckAnswer {
  siteId: unknown;
  currentSite: unknown;
  captures: { file: string; line: number; module: string }[];
  error: string | null;
}

const CHECK_TIMEOUT_MS = 30_000;

function ask(port: number, secret: string, siteId: number): Promise<CheckAnswer> {
  return new Promise((resolve, reject) => {
    const headers = { [CHECK_HEADER]: secret, [SITE_HEADER]: `${secret}:${siteId}` };
    const req = request({ host: '127.0.0.1', port, path: CHECK_PATH, headers, agent: false, timeout: CHECK_TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        try {
          const answer = JSON.parse(Buffer.concat(chunks).toString('utf8')) as CheckAnswer;
          if (res.statusCode !== 200 || !Array.isArray(answer.captures)) throw new Error(`HTTP ${res.statusCode}`);
          resolve(answer);
        } catch {
          reject(new Error(`the server did not answer its self-check (HTTP ${res.statusCode}): its SITE_ID per request was not in force`));
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`the server did not answer its self-check within ${CHECK_TIMEOUT_MS / 1000} s`)));
    req.on('error', (error) => reject(new Error(`the server did not answer its self-check: ${error.message}`)));
    req.end();
  });
}

/** The sites asked for: the current one (or the first) and another, each with a SITE_ID. */
export function checkedSites(sites: Site[], current: Site | null): Site[] {
  const withIds = sites.filter((site) => site.id !== null);
  const first = withIds.find((site) => site.slug === current?.slug) ?? withIds[0];
  const other = withIds.find((site) => site.id !== first?.id);
  return [first, other].filter((site): site is Site => site !== undefined);
}

/** Why `answer`, asked for `site`, is not that site's; null when it is. */
export function mismatch(answer: CheckAnswer, site: Site, root: string): string | null {
  const capture = answer.captures[0];
  if (capture) {
    const where = `${path.isAbsolute(capture.file) ? path.relative(root, capture.file) : capture.file}:${capture.line}`;
    const more = answer.captures.length > 1 ? ` (and ${answer.captures.length - 1} more place${answer.captures.length > 2 ? 's' : ''})` : '';
    return `${where}${more} reads the site while ${capture.module} is imported, which would keep the site of the server's start for every site`;
  }
  if (answer.error) return `the self-check for ${siteLabel(site)} failed: ${answer.error}`;
  if (answer.siteId !== site.id) return `settings.SITE_ID was ${JSON.stringify(answer.siteId)} in a request for ${siteLabel(site)} (SITE_ID ${site.id})`;
  if (answer.currentSite !== null && answer.currentSite !== site.id)
    return `Site.objects.get_current() was site ${JSON.stringify(answer.currentSite)} in a request for ${siteLabel(site)} (SITE_ID ${site.id})`;
  return null;
}

/** Why one server for every site cannot serve the project, from its server at `port`; null when both sites asked for answer as themselves. */
export async function perRequestRefusal(port: number, secret: string, sites: Site[], root: string): Promise<string | null> {
  for (const site of sites) {
    if (site.id === null) continue;
    let answer: CheckAnswer;
    try {
      answer = await ask(port, secret, site.id);
    } catch (error) {
      return (error as Error).message;
    }
    const wrong = mismatch(answer, site, root);
    if (wrong) return wrong;
  }
  return null;
}

/** What the checks need of the serving they guard. */
export interface PerRequestChecksContext {
  root: string;
  sites(): Site[];
  /** One server for every site failed its self-check: `why` in words. */
  refused(why: string): void;
}

/**
 * Each start of one server for every site checked once, before any site is served by it: whoever
 * waits for it (a switch, a request) waits for its check too, and a refusal is told once and
 * thrown to each of them.
 */
export class PerRequestChecks {
  private readonly checks = new WeakMap<Backend, Promise<void>>();

  constructor(private readonly context: PerRequestChecksContext) {}

  /** `backend`, once its check passed (at once when it is no server for every site). */
  async usable(backend: Backend, current: Site | null): Promise<Backend> {
    if (!backend.spec.perRequest) return backend;
    let check = this.checks.get(backend);
    if (!check) {
      check = this.check(backend, current);
      this.checks.set(backend, check);
    }
    await check;
    return backend;
  }

  /** The port of `lease`'s backend once it is usable (see usable); the lease is given back when it is not. */
  async portOf(lease: Lease, current: Site | null): Promise<number> {
    try {
      const { port, spec } = await this.usable(lease.backend, current);
      if (port === null) throw new Error(`the server for ${spec.label} stopped`);
      return port;
    } catch (error) {
      lease.release();
      throw error;
    }
  }

  private async check(backend: Backend, current: Site | null): Promise<void> {
    const port = backend.port;
    if (port === null) throw new Error('the server for every site stopped');
    const why = await perRequestRefusal(port, backend.secret, checkedSites(this.context.sites(), current), this.context.root);
    if (why === null) return;
    this.context.refused(why);
    throw new Error(`one server for every site cannot serve this project: ${why}`);
  }
}
