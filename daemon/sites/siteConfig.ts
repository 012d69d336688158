/**
 * A project's sites and domains, merged from every place real projects declare
 * them, with the source of each field:
 *   1. DJANGO_MULTISITE_PLUS_* in the settings module (read statically),
 *   2. the same names in .env-local / .env / the compose web service (JSON for the sites),
 *   3. the Sites table (`dumpdata`, trusted workspaces only), as the admin shows it,
 *   4. multisite.json for what settings cannot say.
 * A literal in settings wins over the environment (Django sees the assignment);
 * disagreements between sources are reported, never silently resolved.
 */
import { access } from 'node:fs/promises';
import * as path from 'node:path';
import { DaemonError } from '../daemonError';
import { domainGate } from './domainGate';
import type { DomainPlace, GatedDomain } from './domainGate';
import { readEnvSources } from './envSources';
import { MULTISITE_JSON, readMultisiteJson } from './multisiteJson';
import { DaemonErrorCode } from '../protocol/protocol';
import type { ConfigDiagnostic, DoctorCode, Severity, Site, SitesResult } from '../protocol/protocol';
import { lineOfKey } from './pythonLiteral';
import type { PyDict } from './pythonLiteral';
import { DEFAULT_REWRITE_FORMAT, applyRewriteFormat } from './rewriteFormat';
import { readSettings } from './settingsModule';
import { SERVING_SETTINGS, readServingFacts } from './servingFacts';
import type { ServingFacts } from './servingFacts';
import { asClause, endSentence, oneLine, quoted } from '../sentence';
import type { TableRead } from './sitesTable';
import { findForcedSiteId, settingValues } from './settingValues';
import type { Located } from './settingValues';

export const SETTING = {
  sites: 'DJANGO_MULTISITE_PLUS_SITES',
  format: 'DJANGO_MULTISITE_PLUS_REWRITE_DOMAIN_FORMAT',
  rewrite: 'DJANGO_MULTISITE_PLUS_REWRITE_DOMAINS',
  useReal: 'DJANGO_MULTISITE_PLUS_USE_REAL_DOMAIN',
  autoPopulate: 'DJANGO_MULTISITE_PLUS_AUTO_POPULATE_SITES',
  siteId: 'SITE_ID',
} as const;
const NAMES = [...Object.values(SETTING), ...SERVING_SETTINGS];

interface Declared {
  slug: string;
  id: Located<number>;
  name: Located<string> | null;
  /** The real_domain where one is given; its value is null when that is no domain (reported where it is). */
  realDomain: Located<GatedDomain | null> | null;
  aliases: Located<GatedDomain>[];
}

export interface SiteConfig extends SitesResult {
  /** Files whose change means the config must be read again. */
  watchFiles: string[];
  /** What the local proxy needs from the settings (daemon-internal, like watchFiles). */
  servingFacts: ServingFacts;
}

const isDict = (value: unknown): value is PyDict => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);

export interface ReadOptions {
  /** The Sites table, when the caller may run project code; null otherwise. */
  table: TableRead | null;
}

export async function readSiteConfig(root: string, options: ReadOptions = { table: null }): Promise<SiteConfig> {
  try {
    await access(path.join(root, 'manage.py'));
  } catch {
    throw new DaemonError(DaemonErrorCode.ProjectNotFound, `${oneLine(root)} has no manage.py: open the folder of a Django project.`);
  }
  const diagnostics: ConfigDiagnostic[] = [];
  const report = (severity: Severity, message: string, file: string | null, line: number | null, code?: DoctorCode): void =>
    void diagnostics.push({ severity, message, file, line, ...(code ? { code } : {}) });
  // What keeps the project from being served at all (configGate.ts): the doctor lists these too.
  const error = (message: string, file: string | null, line: number | null): void => report('error', endSentence(message), file, line, 'config-error');
  // Two sources saying different things of one site: the doctor lists these too.
  const disagree = (severity: Severity, message: string, file: string | null, line: number | null): void =>
    report(severity, message, file, line, 'sources-disagree');
  // Each file's relative path once: every one of thousands of sites is labelled with its file.
  const relative = new Map<string, string>();
  const label = (file: string, line: number): string => {
    let shown = relative.get(file);
    if (shown === undefined) relative.set(file, (shown = path.relative(root, file)));
    return `${shown}:${line}`;
  };
  const gate = domainGate(report);

  const [settings, env, projectFile] = await Promise.all([readSettings(root, NAMES), readEnvSources(root), readMultisiteJson(root)]);
  const servingFacts = readServingFacts(root, settings, env);
  if (!settings.file) {
    report(
      'warning',
      'manage.py does not name a settings module that exists (DJANGO_SETTINGS_MODULE), so settings were not read.',
      path.join(root, 'manage.py'),
      null,
    );
  }
  for (const e of settings.errors) {
    const file = path.relative(root, e.file);
    // Django cannot import such a file either: say so on the line Python names, not "no sites".
    const message = e.invalidPython
      ? `${file} is not valid Python (${asClause(e.message)}), so no setting in it was read.`
      : `${file} could not be read: ${e.message}`;
    error(message, e.file, e.line);
  }
  for (const p of env.problems) report('warning', endSentence(p.message), p.file, p.line);

  const { fromSettings, fromEnv, flag } = settingValues(root, settings, env, report);
  // Rewrite format, flags and forced SITE_ID.
  const formatLiteral = fromSettings(SETTING.format);
  const formatEnv = fromEnv(SETTING.format);
  const format =
    formatLiteral && typeof formatLiteral.value === 'string'
      ? { value: formatLiteral.value, label: formatLiteral.label, file: formatLiteral.file, line: formatLiteral.line }
      : formatEnv
        ? { value: formatEnv.value, label: formatEnv.label, file: formatEnv.file, line: formatEnv.line }
        : { value: DEFAULT_REWRITE_FORMAT, label: 'default rewrite format', file: null, line: null };
  const rewriteDomains = flag(SETTING.rewrite) ?? false;
  const useRealDomain = flag(SETTING.useReal) ?? false;
  const autoPopulated = flag(SETTING.autoPopulate) ?? false;
  const forcedSiteId = findForcedSiteId(fromSettings(SETTING.siteId, true), fromEnv(SETTING.siteId));

  // Declared sites: settings literal, then the environment's JSON.
  const declared = new Map<string, Declared>();
  const collect = (sites: unknown, file: string, line: number, where: string): void => {
    if (!isDict(sites)) {
      report('warning', `${SETTING.sites} in ${where} must be a dict of slug -> site.`, file, line);
      return;
    }
    for (const [slug, entry] of Object.entries(sites)) {
      const entryLine = lineOfKey(sites, slug) ?? line;
      const at = <T>(value: T): Located<T> => ({ value, file, line: entryLine, label: label(file, entryLine) });
      const id = isDict(entry) ? entry.id : undefined;
      if (!isDict(entry) || typeof id !== 'number' || !Number.isInteger(id) || id < 1) {
        report('warning', `Site ${quoted(slug)} in ${where} needs a positive integer "id".`, file, entryLine);
        continue;
      }
      const place: DomainPlace = { file, line: entryLine, label: label(file, entryLine) };
      const domain = (written: string): GatedDomain | null => gate(written, slug, place);
      const aliases = Array.isArray(entry.aliases) ? entry.aliases.filter((a): a is string => typeof a === 'string') : [];
      const realDomain = text(entry.real_domain);
      const site: Declared = {
        slug,
        id: at(id),
        name: text(entry.name) ? at(text(entry.name) as string) : null,
        realDomain: realDomain ? at(domain(realDomain)) : null,
        aliases: aliases.flatMap((alias) => domain(alias) ?? []).map(at),
      };
      const earlier = declared.get(slug);
      if (!earlier) {
        declared.set(slug, site);
        continue;
      }
      // The settings literal (read first) wins; say where the environment disagrees.
      if (earlier.id.value !== site.id.value) {
        disagree(
          'warning',
          `Site ${quoted(slug)} has id ${earlier.id.value} in ${earlier.id.label} but id ${site.id.value} in ${site.id.label}.`,
          file,
          entryLine,
        );
      }
      const [was, is] = [earlier.realDomain?.value, site.realDomain?.value];
      if (was && is && was.written !== is.written) {
        disagree(
          'warning',
          `Site ${quoted(slug)} has domain ${was.written} in ${earlier.realDomain?.label} but ${is.written} in ${site.realDomain?.label}.`,
          file,
          entryLine,
        );
      }
      earlier.realDomain ??= site.realDomain;
      earlier.name ??= site.name;
      if (earlier.aliases.length === 0) earlier.aliases = site.aliases;
    }
  };
  const sitesLiteral = fromSettings(SETTING.sites);
  if (sitesLiteral) collect(sitesLiteral.value, sitesLiteral.file, sitesLiteral.line, sitesLiteral.label);
  const sitesEnv = fromEnv(SETTING.sites);
  if (sitesEnv) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(sitesEnv.value);
    } catch (problem) {
      error(`${SETTING.sites} in ${sitesEnv.label} is not valid JSON: ${(problem as Error).message}`, sitesEnv.file, sitesEnv.line);
    }
    if (parsed !== undefined) collect(parsed, sitesEnv.file, sitesEnv.line, sitesEnv.label);
  }

  // Same id declared by two slugs.
  const byId = new Map<number, Declared>();
  for (const site of declared.values()) {
    const other = byId.get(site.id.value);
    // SITE_ID cannot tell such sites apart, and Django's Sites table has one row per id.
    if (other)
      error(
        `Sites ${quoted(other.slug)} (${other.id.label}) and ${quoted(site.slug)} (${site.id.label}) both have id ${site.id.value}`,
        site.id.file,
        site.id.line,
      );
    else byId.set(site.id.value, site);
  }

  /** The rewrite format applied to the site's slug: the Test domain, and the live one when no real_domain is given. */
  const formatFor = (d: Declared): GatedDomain | null => {
    let rewritten: string;
    try {
      rewritten = applyRewriteFormat(format.value, d.slug);
    } catch (problem) {
      report('warning', endSentence(`${SETTING.format} (${format.label}): ${(problem as Error).message}`), format.file, format.line);
      return null;
    }
    // The default format is written nowhere: a bad result comes from the slug, on the site's line.
    return gate(rewritten, d.slug, { file: format.file ?? d.id.file, line: format.line ?? d.id.line, label: format.label });
  };

  const table = options.table;
  // Settings Python refuses break `manage.py dumpdata` too: that error, on its line, says it all.
  if (table && !table.ok && settings.errors.length === 0)
    report(
      'info',
      `The Sites table could not be read (${asClause(table.reason)}); showing the domains the settings declare.`,
      path.join(root, 'manage.py'),
      null,
    );
  const tableRows = new Map((table?.ok ? table.sites : []).map((row) => [row.id, row]));

  const sites: Site[] = [];
  /** Adds a domain that passed the gate to the names hosts mode points here, with where it came from. */
  const addLocal = (site: Site, domain: GatedDomain | null, source: string): void => {
    if (domain && !site.domains.local.includes(domain.ascii)) {
      site.domains.local.push(domain.ascii);
      site.fieldSources[domain.ascii] = source;
    }
  };
  const TABLE: DomainPlace = { file: null, line: null, label: 'Sites table' };
  // Django matches a Site's domain against the request's Host, port included: a table row may carry one.
  const tableDomain = (domain: string, slug: string): GatedDomain | null => gate(domain, slug, TABLE, { port: true });

  for (const d of declared.values()) {
    const rewritten = formatFor(d);
    // A real_domain that is no domain leaves the site without one: the rewritten domain is not what it says.
    const real = d.realDomain?.value ?? null;
    const live = d.realDomain ? real : rewritten;
    // What multisite-plus writes into the Sites table (Site.update_site).
    const expectedAdmin = useRealDomain ? real : rewriteDomains || !d.realDomain ? rewritten : real;
    const sources = [...new Set([d.id.label, ...(d.realDomain ? [d.realDomain.label] : [])])];
    const site: Site = {
      id: d.id.value,
      slug: d.slug,
      name: d.name?.value ?? null,
      domains: { live: live?.written ?? null, test: rewritten?.written ?? null, local: [] },
      aliases: d.aliases.map((a) => a.value.written),
      autoPopulated,
      localhostUrl: null,
      sources,
      fieldSources: { id: d.id.label, ...(d.name ? { name: d.name.label } : {}), live: d.realDomain?.label ?? format.label, test: format.label },
    };
    const row = tableRows.get(d.id.value);
    if (row) {
      tableRows.delete(d.id.value);
      site.sources.push('Sites table');
      const rowDomain = tableDomain(row.domain, d.slug);
      addLocal(site, rowDomain, 'Sites table');
      // A row whose domain is no domain was reported as such: comparing it would say it twice.
      if (rowDomain && expectedAdmin && row.domain !== expectedAdmin.written && row.domain !== live?.written) {
        disagree(
          'info',
          `Site ${quoted(d.slug)} has domain ${row.domain} in the Sites table, but ${d.id.label} declares ${expectedAdmin.written}.`,
          d.id.file,
          d.id.line,
        );
      }
    } else {
      addLocal(site, expectedAdmin, `${d.id.label} (Sites table domain)`);
    }
    addLocal(site, live, site.fieldSources.live);
    for (const alias of d.aliases) addLocal(site, alias.value, alias.label);
    sites.push(site);
  }

  // Sites only in the table (plain django.contrib.sites projects).
  const usedSlugs = new Set(sites.map((s) => s.slug));
  for (const row of tableRows.values()) {
    let slug = row.domain.split('.')[0] || String(row.id);
    if (usedSlugs.has(slug)) slug = `${slug}-${row.id}`;
    usedSlugs.add(slug);
    const domain = tableDomain(row.domain, slug);
    const site: Site = {
      id: row.id,
      slug,
      name: row.name || null,
      domains: { live: domain?.written ?? null, test: null, local: [] },
      aliases: [],
      autoPopulated,
      localhostUrl: null,
      sources: ['Sites table'],
      fieldSources: { id: 'Sites table', name: 'Sites table', live: 'Sites table' },
    };
    addLocal(site, domain, 'Sites table');
    sites.push(site);
  }

  // multisite.json: Test domains and extra local domains by slug.
  if (projectFile) {
    for (const p of projectFile.problems) {
      if (p.severity === 'error') error(p.message, projectFile.file, p.line);
      else report('warning', endSentence(p.message), projectFile.file, p.line);
    }
    // By slug, once: a search of the list per configured site took seconds for 5,000 sites.
    const bySlug = new Map(sites.map((s) => [s.slug, s]));
    for (const [slug, override] of projectFile.sites) {
      const site = bySlug.get(slug);
      const source = `${MULTISITE_JSON}:${override.line}`;
      const where: DomainPlace = { file: projectFile.file, line: override.line, label: source };
      if (!site) {
        report('warning', `${MULTISITE_JSON} configures site ${quoted(slug)}, which no other source declares.`, where.file, where.line);
        continue;
      }
      if (override.test !== undefined) {
        // Said here, so the rewritten Test domain no longer holds, even when this one is no domain.
        site.domains.test = gate(override.test, slug, where)?.written ?? null;
        site.fieldSources.test = source;
      }
      for (const domain of override.local ?? []) addLocal(site, gate(domain, slug, where), source);
      if (!site.sources.includes(source)) site.sources.push(source);
    }
  }

  sites.sort((a, b) => (a.id ?? 0) - (b.id ?? 0));
  return {
    project: { root, name: path.basename(root) },
    sites,
    diagnostics,
    forcedSiteId,
    options: {
      port: projectFile?.port ?? null,
      runner: projectFile?.runner ?? null,
      sharedDatabase: projectFile?.sharedDatabase ?? [],
      warmSites: projectFile?.warmSites ?? null,
      routing: projectFile?.routing ?? null,
    },
    sitesTableRead: table?.ok ?? false,
    watchFiles: [...settings.files, ...env.files, ...(projectFile ? [projectFile.file] : [])],
    servingFacts,
  };
}
