/**
 * The CLI options the daemon takes with each open, checked here: some an
 * environment variable can also set (the flag wins): `--hosts-file` /
 * MULTISITE_LOCAL_HOSTS_FILE and `--warm-sites` / MULTISITE_LOCAL_WARM_SITES.
 * A bad value is a usage error naming the flag (and its variable) and what it may be.
 */
import * as path from 'node:path';
import { PROXY_ROUTINGS } from '../protocol/protocol';
import type { ProxyRouting } from '../protocol/protocol';
import { routingChoices } from '../protocol/routingChoices';
import { UsageError } from './cliOutput';

/** --hosts-file, else MULTISITE_LOCAL_HOSTS_FILE, made absolute here (the daemon lives elsewhere); null: the daemon's choice. */
export function hostsFileOption(flag: string | undefined): string | null {
  if (flag !== undefined && flag.trim() === '') throw new UsageError("--hosts-file needs a path; leave it out to use the system's hosts file.");
  const chosen = flag ?? process.env.MULTISITE_LOCAL_HOSTS_FILE;
  return chosen ? path.resolve(chosen) : null;
}

/**
 * --site-ports: the first of the sites' own ports (a port), `false` (none) or `true` (next to the project's
 * port); undefined when not given (the daemon keeps what it had).
 */
export function sitePortsOption(flag: string | undefined): number | false | null | undefined {
  if (flag === undefined) return undefined;
  if (flag === 'false') return false;
  if (flag === 'true') return null;
  if (!/^[0-9]{1,5}$/.test(flag) || Number(flag) < 1 || Number(flag) > 65_535)
    throw new UsageError(
      `--site-ports must be the first port of the sites' own ports (1-65535), false (none) or true (next to the project's port), not "${flag}".`,
    );
  return Number(flag);
}

/** --warm-sites, else MULTISITE_LOCAL_WARM_SITES: a whole number from 0 (restart per switch) to 50; null: the daemon's choice. */
export function warmSitesOption(flag: string | undefined): number | null {
  const text = flag ?? process.env.MULTISITE_LOCAL_WARM_SITES;
  if (text === undefined || (flag === undefined && text === '')) return null;
  if (!/^[0-9]{1,2}$/.test(text) || Number(text) > 50) {
    throw new UsageError(`--warm-sites (or MULTISITE_LOCAL_WARM_SITES) must be a whole number from 0 (restart runserver per switch) to 50, not "${text}".`);
  }
  return Number(text);
}

/**
 * --routing: how the local proxy reaches the sites (multisite.json's "routing" wins); `auto` is null
 * (the project's default); undefined when not given (the daemon keeps what it had).
 */
export function routingOption(flag: string | undefined): ProxyRouting | null | undefined {
  if (flag === undefined) return undefined;
  if (flag === 'auto') return null;
  if (PROXY_ROUTINGS.includes(flag as ProxyRouting)) return flag as ProxyRouting;
  throw new UsageError(`--routing must be ${routingChoices(String, [['auto', "the project's default"]])}, not ${JSON.stringify(flag)}.`);
}
