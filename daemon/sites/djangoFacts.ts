/**
 * What Django said about a project (askDjango.ts), typed and checked: the
 * answer comes from the project's own code, so anything of the wrong shape is
 * dropped rather than trusted. Also where a failed run points: the project's
 * own file and line in the traceback it printed.
 */
import * as path from 'node:path';
import type { DatabaseSettings } from './databaseIdentity';

/** SITE_ID as Django sees it: absent, an int, or an object standing for one (django-multisite's SiteID). */
export type SiteIdSetting =
  { kind: 'absent' } | { kind: 'int'; value: number } | { kind: 'object'; type: string; value: number | null; default: number | null };

export interface DjangoSettings {
  siteId: SiteIdSetting;
  allowedHosts: string[];
  /** ALLOWED_HOSTS as Django applies it: with DEBUG, an empty list admits the localhost names. */
  effectiveAllowedHosts: string[];
  debug: boolean;
  middleware: string[];
  installedApps: string[];
  csrfTrustedOrigins: string[];
  useXForwardedHost: boolean;
  useXForwardedPort: boolean;
  sessionCookieDomain: string | null;
  multisitePlusMode: string | null;
  database: DatabaseSettings;
}

export interface DjangoFramework {
  /** `django.contrib.sites`, `django-multisite`, `django-multisite-plus`, `wagtail`, `django-tenants`. */
  name: string;
  version: string | null;
}

export interface ContribSiteRow {
  id: number;
  domain: string;
  name: string;
}
export interface AliasRow {
  siteId: number;
  domain: string;
  canonical: boolean;
}
export interface WagtailSiteRow {
  id: number;
  hostname: string;
  port: number;
  siteName: string | null;
  isDefault: boolean;
  rootTitle: string | null;
}
export interface TenantRow {
  id: number;
  schema: string;
  name: string | null;
  /** Its domains, the primary first. */
  domains: string[];
}

export interface DjangoSiteRows {
  contrib: ContribSiteRow[] | null;
  aliases: AliasRow[] | null;
  /** django-multisite-plus's own table, as its rows are (fields differ between versions). */
  multisitePlus: Record<string, unknown>[] | null;
  wagtail: WagtailSiteRow[] | null;
  tenants: TenantRow[] | null;
}

/** A part of the read that failed while the rest went on (a table not migrated, a database not reachable). */
export interface DjangoProblem {
  what: string;
  /** The exception's class name (`OperationalError`), when Django said it. */
  type: string | null;
  /** The exception as Python prints it, on one line (`django.db.utils.OperationalError: …`). */
  message: string;
  file: string | null;
  line: number | null;
}

export interface DjangoCheck {
  /** `sites.E101`, `security.W004`, … */
  id: string;
  /** Django's levels: 10 debug, 20 info, 30 warning, 40 error, 50 critical. */
  level: number;
  message: string;
  hint: string | null;
  object: string | null;
}

export interface DjangoFacts {
  version: string;
  settingsModule: string | null;
  settings: DjangoSettings;
  frameworks: DjangoFramework[];
  sites: DjangoSiteRows;
  problems: DjangoProblem[];
  checks: DjangoCheck[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const int = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) ? v : null);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const objects = (v: unknown): Json[] | null => (Array.isArray(v) ? v.filter(isObject) : null);

function siteIdOf(v: unknown): SiteIdSetting {
  if (!isObject(v)) return { kind: 'absent' };
  if (v.kind === 'int' && int(v.value) !== null) return { kind: 'int', value: v.value as number };
  if (v.kind === 'object') return { kind: 'object', type: str(v.type) ?? 'object', value: int(v.value), default: int(v.default) };
  return { kind: 'absent' };
}

function rowsOf<T>(v: unknown, row: (r: Json) => T | null): T[] | null {
  const list = objects(v);
  return list ? list.map(row).filter((r): r is T => r !== null) : null;
}

function tenantsOf(tenants: unknown, domains: unknown): TenantRow[] | null {
  const rows = rowsOf(tenants, (r) =>
    int(r.id) !== null && str(r.schema_name) ? { id: r.id as number, schema: r.schema_name as string, name: str(r.name), domains: [] as string[] } : null,
  );
  if (!rows) return null;
  const byId = new Map(rows.map((t) => [t.id, t]));
  // Ordered by tenant, primary first, by the query.
  for (const d of objects(domains) ?? []) if (typeof d.domain === 'string') byId.get(int(d.tenant_id) ?? -1)?.domains.push(d.domain);
  return rows;
}

/** The JSON document askDjangoScript.ts printed, or null when it is none. */
export function parseDjangoFacts(text: string): DjangoFacts | null {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObject(doc) || !isObject(doc.settings) || !isObject(doc.sites)) return null;
  const s = doc.settings;
  const db = isObject(s.database) ? s.database : {};
  const sites = doc.sites;
  return {
    version: str(doc.django) ?? '',
    settingsModule: str(doc.settingsModule),
    settings: {
      siteId: siteIdOf(s.SITE_ID),
      allowedHosts: strings(s.ALLOWED_HOSTS),
      effectiveAllowedHosts: strings(s.effectiveAllowedHosts),
      debug: s.DEBUG === true,
      middleware: strings(s.MIDDLEWARE),
      installedApps: strings(s.INSTALLED_APPS),
      csrfTrustedOrigins: strings(s.CSRF_TRUSTED_ORIGINS),
      useXForwardedHost: s.USE_X_FORWARDED_HOST === true,
      useXForwardedPort: s.USE_X_FORWARDED_PORT === true,
      sessionCookieDomain: str(s.SESSION_COOKIE_DOMAIN),
      multisitePlusMode: str(s.DJANGO_MULTISITE_PLUS_MODE),
      database: { engine: str(db.engine) ?? '', name: str(db.name) ?? '', host: str(db.host) ?? '', port: str(db.port) ?? '' },
    },
    frameworks: (objects(doc.frameworks) ?? []).flatMap((f) => (str(f.name) ? [{ name: f.name as string, version: str(f.version) }] : [])),
    sites: {
      contrib: rowsOf(sites.contrib, (r) =>
        int(r.id) !== null && typeof r.domain === 'string' ? { id: r.id as number, domain: r.domain, name: str(r.name) ?? '' } : null,
      ),
      aliases: rowsOf(sites.aliases, (r) =>
        int(r.site_id) !== null && typeof r.domain === 'string' ? { siteId: r.site_id as number, domain: r.domain, canonical: r.is_canonical === true } : null,
      ),
      multisitePlus: objects(sites.multisitePlus),
      wagtail: rowsOf(sites.wagtail, (r) =>
        int(r.id) !== null && typeof r.hostname === 'string'
          ? {
              id: r.id as number,
              hostname: r.hostname,
              port: int(r.port) ?? 80,
              siteName: str(r.site_name) || null,
              isDefault: r.is_default_site === true,
              rootTitle: str(r.root_page__title),
            }
          : null,
      ),
      tenants: tenantsOf(sites.tenants, sites.tenantDomains),
    },
    problems: (objects(doc.problems) ?? []).map((p) => ({
      what: str(p.what) ?? 'a read',
      type: str(p.type),
      message: str(p.message) ?? '',
      file: str(p.file),
      line: int(p.line),
    })),
    checks: (objects(doc.checks) ?? []).map((c) => ({
      id: str(c.id) ?? '',
      level: int(c.level) ?? 0,
      message: str(c.message) ?? '',
      hint: str(c.hint),
      object: str(c.object),
    })),
  };
}

/** The last frame of a Python traceback in the project's own files (not its venv), else null. */
export function pointOfFailure(stderr: string, root: string): { file: string; line: number } | null {
  let found: { file: string; line: number } | null = null;
  for (const match of stderr.matchAll(/^\s*File "([^"]+)", line (\d+)/gm)) {
    if (match[1].startsWith('<')) continue; // <frozen os>, <string>: no file of the project's
    const file = path.resolve(root, match[1]);
    const inside = path.relative(root, file);
    if (inside.startsWith('..') || path.isAbsolute(inside) || /(^|[\\/])(\.?venv|site-packages)[\\/]/.test(inside)) continue;
    found = { file, line: Number(match[2]) };
  }
  return found;
}
