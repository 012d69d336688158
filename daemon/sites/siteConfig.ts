/**
 * A project's sites and domains, merged from every place real projects declare
 * them, with the source of each field:
 *   1. DJANGO_MULTISITE_PLUS_* in the settings module (read statically),
 *   2. the same names in .env-local / .env / the compose web service (JSON for the sites),
 *   3. what Django itself says (askDjango.ts, trusted workspaces only): the Sites
 *      table as the admin shows it, with django-multisite's aliases, Wagtail's
 *      Sites and the tenants' domains (frameworkSites.ts),
 *   4. multisite.json for what settings cannot say.
 * A literal in settings wins over the environment (Django sees the assignment);
 * disagreements between sources are reported, never silently resolved.
 */
import { access } from 'node:fs/promises';
import * as path from 'node:path';
import { DaemonError } from '../base/daemonError';
import { configDiagnostics } from './configDiagnostics';
import { declaredSites } from './declaredSites';
import type { Declared } from './declaredSites';
import { domainGate } from './domainGate';
import type { DomainPlace, GatedDomain } from './domainGate';
import { readEnvSources } from './envSources';
import { MULTISITE_JSON, readMultisiteJson } from './multisiteJson';
import { SETTING } from './multisitePlusSettings';
import { DaemonErrorCode } from '../../protocol/protocol';
import type { Site, SitesResult } from '../../protocol/protocol';
import { DEFAULT_REWRITE_FORMAT, applyRewriteFormat } from './rewriteFormat';
import { readSettings } from './settingsModule';
import { locateSettings } from './settingsLocation';
import type { SettingsLocation } from './settingsLocation';
import { settingsInfo, settingsNotFound, settingsOverridden } from './settingsReport';
import { SERVING_SETTINGS, readServingFacts } from './servingFacts';
import type { ServingFacts } from './servingFacts';
import { asClause, endSentence, oneLine, quoted } from '../base/sentence';
import type { DjangoRead } from './askDjango';
import type { DjangoFacts } from './djangoFacts';
import { contribSites, otherFrameworkSites } from './frameworkSites';
import { siteIdPicksNothing } from './frameworkRouting';
import { sitesSearch, sitesSought } from './sitesSought';
import { EMPTY_TABLE_MESSAGE, autoPopulateLock, needsPopulate } from './multisitePlusPopulate';
import { findForcedSiteId, settingValues } from './settingValues';

const NAMES = [...Object.values(SETTING), ...SERVING_SETTINGS];
/** Where django-multisite's aliases of a site come from, as the tree shows it. */
const ALIASES = 'Alias table (django-multisite)';

export interface SiteConfig extends SitesResult {
  /** Files whose change means the config must be read again. */
  watchFiles: string[];
  /** What the local proxy needs from the settings (daemon-internal, like watchFiles). */
  servingFacts: ServingFacts;
  /** What Django said, when it was asked and answered (daemon-internal). */
  django: DjangoFacts | null;
  /** Where the settings module is, as found for this read (daemon-internal; `settings` says it to clients). */
  settingsLocation: SettingsLocation;
  /** The settings module's file and those its star imports reach: where a failure "in the settings" is (daemon-internal). */
  settingsFiles: string[];
}

export interface ReadOptions {
  /** What Django said, when the caller may run project code; null otherwise. */
  django: DjangoRead | null;
  /** Where the settings module is (settingsLocation.ts); found with no choice of the person's when absent. */
  settings?: SettingsLocation;
  /** Whether the project's code may run (Django's answer, when null, is still coming), and the interpreter found. */
  trusted?: boolean;
  interpreter?: string | null;
}

export async function readSiteConfig(root: string, options: ReadOptions = { django: null }): Promise<SiteConfig> {
  try {
    await access(path.join(root, 'manage.py'));
  } catch {
    throw new DaemonError(DaemonErrorCode.ProjectNotFound, `${oneLine(root)} has no manage.py: open the folder of a Django project.`);
  }
  const found = configDiagnostics(root);
  const { diagnostics, report, error, disagree } = found;
  const gate = domainGate(report);

  const location = options.settings ?? (await locateSettings(root, null));
  const [settings, env, projectFile] = await Promise.all([readSettings(root, NAMES, location), readEnvSources(root), readMultisiteJson(root)]);
  const servingFacts = readServingFacts(root, settings, env);
  if (!settings.file && settings.errors.length === 0) {
    const missing = settingsNotFound(root, location);
    report('warning', missing.message, missing.file, missing.line);
  }
  // The env files are read for DJANGO_SETTINGS_MODULE too (settingsLocation.ts): one refused is said once, as an env file.
  const envRefused = new Set(env.problems.filter((p) => p.severity === 'error').map((p) => p.file));
  for (const e of settings.errors) {
    if (envRefused.has(e.file)) continue;
    const file = path.relative(root, e.file);
    // Django cannot import such a file either: say so on the line Python names, not "no sites".
    const message = e.invalidPython
      ? `${file} is not valid Python (${asClause(e.message)}), so no setting in it was read.`
      : `${file} could not be read: ${e.message}`;
    error(message, e.file, e.line);
  }
  for (const p of env.problems) {
    if (p.severity === 'error') error(p.message, p.file, p.line);
    else report('warning', endSentence(p.message), p.file, p.line);
  }

  const values = settingValues(root, settings, env, report);
  const { fromSettings, fromEnv, flag } = values;
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
  const autoPopulateSetting = flag(SETTING.autoPopulate) ?? false;

  // Declared sites: settings literal, then the environment's JSON.
  const declared = declaredSites(values, found, gate);

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

  const django = options.django;
  // Settings Python refuses break the run of Django too: that error, on its line, says it all.
  if (django && !django.ok && settings.errors.length === 0)
    report(
      'warning',
      `Django could not be asked for the project's sites (${asClause(django.reason)}); showing the domains the settings declare.`,
      django.file ?? path.join(root, 'manage.py'),
      django.line,
    );
  const facts = django?.ok ? django.facts : null;
  // A literal in a branch chosen by SITE_ID in the environment is the default when none is set, not forced;
  // and where the framework picks the site without SITE_ID, no value of it forces a site.
  const forcedSiteId = siteIdPicksNothing(facts, Boolean(servingFacts.siteIdUnused))
    ? null
    : findForcedSiteId(servingFacts.siteIdDefault ? null : fromSettings(SETTING.siteId, true), fromEnv(SETTING.siteId));
  const overridden = settingsOverridden(location, facts?.settingsModule ?? null);
  if (overridden) report('warning', overridden, path.join(root, 'manage.py'), null);
  // The lock as the installed version behaves: from 0.7.2 only a command run by a person writes the domains.
  const autoPopulated = autoPopulateLock(autoPopulateSetting, facts);
  if (needsPopulate(facts)) {
    const first = declared.values().next().value;
    report('warning', EMPTY_TABLE_MESSAGE, first?.id.file ?? null, first?.id.line ?? null, 'multisite-plus-empty');
  }
  // Where a framework keeps sites of its own (Wagtail, django-tenants), the Sites table's rows route no request.
  const frameworkRows = facts ? otherFrameworkSites(facts) : [];
  const tableRows = new Map((facts && frameworkRows.length === 0 ? contribSites(facts) : []).map((row) => [row.id, row]));

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
      portUrl: null,
      sources,
      fieldSources: { id: d.id.label, ...(d.name ? { name: d.name.label } : {}), live: d.realDomain?.label ?? format.label, test: format.label },
    };
    const row = tableRows.get(d.id.value);
    if (row) {
      tableRows.delete(d.id.value);
      site.sources.push('Sites table');
      const rowDomain = tableDomain(row.domain, d.slug);
      addLocal(site, rowDomain, 'Sites table');
      for (const alias of row.aliases) addLocal(site, tableDomain(alias, d.slug), ALIASES);
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

  // Sites only in Django's tables: plain django.contrib.sites projects, then the frameworks that keep their own.
  const usedSlugs = new Set(sites.map((s) => s.slug));
  const rowSites = [
    ...[...tableRows.values()].map((row) => ({ ...row, slug: row.domain.split('.')[0], domains: [row.domain, ...row.aliases], source: 'Sites table' })),
    ...frameworkRows,
  ];
  for (const row of rowSites) {
    let slug = row.slug || String(row.id);
    if (usedSlugs.has(slug)) slug = `${slug}-${row.id}`;
    usedSlugs.add(slug);
    const [live, ...more] = row.domains.map((d) => tableDomain(d, slug));
    const site: Site = {
      id: row.id,
      slug,
      name: row.name || null,
      domains: { live: live?.written ?? null, test: null, local: [] },
      aliases: [],
      autoPopulated,
      localhostUrl: null,
      portUrl: null,
      sources: [row.source],
      fieldSources: { id: row.source, name: row.source, live: row.source },
    };
    addLocal(site, live, row.source);
    for (const domain of more) addLocal(site, domain, row.source === 'Sites table' ? ALIASES : row.source);
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
    settings: settingsInfo(location),
    sites,
    diagnostics,
    forcedSiteId,
    options: {
      port: projectFile?.port ?? null,
      runner: projectFile?.runner ?? null,
      sharedDatabase: projectFile?.sharedDatabase ?? [],
      warmSites: projectFile?.warmSites ?? null,
      sitePorts: projectFile?.sitePorts ?? null,
      routing: projectFile?.routing ?? null,
    },
    sitesTableRead: django?.ok ?? false,
    sitesSought: sitesSought(django),
    searched: sitesSearch(location.module, django, options.trusted ?? false, options.interpreter ?? null),
    watchFiles: [...new Set([...settings.files, ...location.files, ...env.files, ...(projectFile ? [projectFile.file] : [])])],
    servingFacts,
    django: facts,
    settingsLocation: location,
    settingsFiles: settings.files,
  };
}
