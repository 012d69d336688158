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
import type { ConfigDiagnostics } from './configDiagnostics';
import { declaredSites } from './declaredSites';
import { domainGate } from './domainGate';
import { readEnvSources } from './envSources';
import type { EnvRead } from './envSources';
import { applyMultisiteJson, mergedSites } from './mergedSites';
import type { RewriteFormat } from './mergedSites';
import { readMultisiteJson } from './multisiteJson';
import type { MultisiteJson } from './multisiteJson';
import { SETTING } from './multisitePlusSettings';
import { DaemonErrorCode } from '../../protocol/protocol';
import type { ForcedSiteId, SitesResult } from '../../protocol/protocol';
import { DEFAULT_REWRITE_FORMAT } from './rewriteFormat';
import { readSettings } from './settingsModule';
import type { SettingsRead } from './settingsModule';
import { locateSettings } from './settingsLocation';
import type { SettingsLocation } from './settingsLocation';
import { settingsInfo, settingsNotFound, settingsOverridden } from './settingsReport';
import { SERVING_SETTINGS, readServingFacts } from './servingFacts';
import type { ServingFacts } from './servingFacts';
import { asClause, endSentence, oneLine } from '../base/sentence';
import type { DjangoRead } from './askDjango';
import type { DjangoFacts } from './djangoFacts';
import { siteIdPicksNothing } from './frameworkRouting';
import { sitesSearch, sitesSought } from './sitesSought';
import { EMPTY_TABLE_MESSAGE, autoPopulateLock, needsPopulate } from './multisitePlusPopulate';
import { findForcedSiteId, settingValues } from './settingValues';
import type { Report } from './settingValues';

const NAMES = [...Object.values(SETTING), ...SERVING_SETTINGS];

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
  await requireManagePy(root);
  const found = configDiagnostics(root);
  const { diagnostics, report } = found;
  const gate = domainGate(report);

  const location = options.settings ?? (await locateSettings(root, null));
  const [settings, env, projectFile] = await Promise.all([readSettings(root, NAMES, location), readEnvSources(root), readMultisiteJson(root)]);
  const servingFacts = readServingFacts(root, settings, env);
  reportReadProblems(root, location, settings, env, found);

  const values = settingValues(root, settings, env, report);
  // Rewrite format, flags and forced SITE_ID.
  const format = rewriteFormatInForce(values);
  const rewriteDomains = values.flag(SETTING.rewrite) ?? false;
  const useRealDomain = values.flag(SETTING.useReal) ?? false;
  const autoPopulateSetting = values.flag(SETTING.autoPopulate) ?? false;

  // Declared sites: settings literal, then the environment's JSON.
  const declared = declaredSites(values, found, gate);

  const django = options.django;
  const facts = djangoAnswer(root, django, settings.errors.length > 0, report);
  const forcedSiteId = forcedSite(facts, servingFacts, values);
  const overridden = settingsOverridden(location, facts?.settingsModule ?? null);
  if (overridden) report('warning', overridden, path.join(root, 'manage.py'), null);
  // The lock as the installed version behaves: from 0.7.2 only a command run by a person writes the domains.
  const autoPopulated = autoPopulateLock(autoPopulateSetting, facts);
  if (needsPopulate(facts)) {
    const first = declared.values().next().value;
    report('warning', EMPTY_TABLE_MESSAGE, first?.id.file ?? null, first?.id.line ?? null, 'multisite-plus-empty');
  }

  const sites = mergedSites(declared, facts, { format, rewriteDomains, useRealDomain, autoPopulated }, found, gate);
  // multisite.json: Test domains and extra local domains by slug.
  if (projectFile) applyMultisiteJson(projectFile, sites, found, gate);

  sites.sort((a, b) => (a.id ?? 0) - (b.id ?? 0));
  return {
    project: { root, name: path.basename(root) },
    settings: settingsInfo(location),
    sites,
    diagnostics,
    forcedSiteId,
    options: projectOptions(projectFile),
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

async function requireManagePy(root: string): Promise<void> {
  try {
    await access(path.join(root, 'manage.py'));
  } catch {
    throw new DaemonError(DaemonErrorCode.ProjectNotFound, `${oneLine(root)} has no manage.py: open the folder of a Django project.`);
  }
}

/** Reports what reading the settings module and the environment found wrong: a settings module not found, files not read. */
function reportReadProblems(root: string, location: SettingsLocation, settings: SettingsRead, env: EnvRead, { report, error }: ConfigDiagnostics): void {
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
}

/** The rewrite format: the settings literal, else the environment's, else the default. */
function rewriteFormatInForce({ fromSettings, fromEnv }: ReturnType<typeof settingValues>): RewriteFormat {
  const formatLiteral = fromSettings(SETTING.format);
  const formatEnv = fromEnv(SETTING.format);
  return formatLiteral && typeof formatLiteral.value === 'string'
    ? { value: formatLiteral.value, label: formatLiteral.label, file: formatLiteral.file, line: formatLiteral.line }
    : formatEnv
      ? { value: formatEnv.value, label: formatEnv.label, file: formatEnv.file, line: formatEnv.line }
      : { value: DEFAULT_REWRITE_FORMAT, label: 'default rewrite format', file: null, line: null };
}

/** What Django said of the project, when it answered; when it could not be asked, that is reported. */
function djangoAnswer(root: string, django: DjangoRead | null, settingsBroken: boolean, report: Report): DjangoFacts | null {
  // Settings Python refuses break the run of Django too: that error, on its line, says it all.
  if (django && !django.ok && !settingsBroken)
    report(
      'warning',
      `Django could not be asked for the project's sites (${asClause(django.reason)}); showing the domains the settings declare.`,
      django.file ?? path.join(root, 'manage.py'),
      django.line,
    );
  return django?.ok ? django.facts : null;
}

/** The SITE_ID the project forces on every request, if any. */
function forcedSite(facts: DjangoFacts | null, servingFacts: ServingFacts, { fromSettings, fromEnv }: ReturnType<typeof settingValues>): ForcedSiteId | null {
  // A literal in a branch chosen by SITE_ID in the environment is the default when none is set, not forced;
  // and where the framework picks the site without SITE_ID, no value of it forces a site.
  return siteIdPicksNothing(facts, Boolean(servingFacts.siteIdUnused))
    ? null
    : findForcedSiteId(servingFacts.siteIdDefault ? null : fromSettings(SETTING.siteId, true), fromEnv(SETTING.siteId));
}

/** The project's options as multisite.json sets them; none without one. */
function projectOptions(projectFile: MultisiteJson | null): SiteConfig['options'] {
  return {
    port: projectFile?.port ?? null,
    runner: projectFile?.runner ?? null,
    sharedDatabase: projectFile?.sharedDatabase ?? [],
    warmSites: projectFile?.warmSites ?? null,
    sitePorts: projectFile?.sitePorts ?? null,
    routing: projectFile?.routing ?? null,
  };
}
