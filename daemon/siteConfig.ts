/**
 * Reads a project's sites from DJANGO_MULTISITE_PLUS_SITES in its settings
 * module, statically: the settings file is parsed, never imported.
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { DaemonError } from './daemonError';
import { DaemonErrorCode } from './protocol';
import type { ConfigDiagnostic, Site, SitesResult } from './protocol';
import { findAssignments } from './pythonLiteral';
import type { Assignment, PyDict, PyValue } from './pythonLiteral';
import { DEFAULT_REWRITE_FORMAT, applyRewriteFormat } from './rewriteFormat';

const SETTINGS_MODULE_DEFAULT = /DJANGO_SETTINGS_MODULE['"]\s*,\s*['"]([\w.]+)['"]/;

async function readText(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** The settings file named by manage.py's DJANGO_SETTINGS_MODULE default (module or package). */
async function findSettingsFile(root: string, manage: string): Promise<string | null> {
  const module = SETTINGS_MODULE_DEFAULT.exec(manage)?.[1];
  if (!module) return null;
  const base = path.join(root, ...module.split('.'));
  for (const candidate of [`${base}.py`, path.join(base, '__init__.py')]) {
    if ((await readText(candidate)) !== null) return candidate;
  }
  return null;
}

function isDict(value: PyValue | undefined): value is PyDict {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(value: PyValue | undefined): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

export async function readSiteConfig(root: string): Promise<SitesResult> {
  const project = { root, name: path.basename(root) };
  const manage = await readText(path.join(root, 'manage.py'));
  if (manage === null) {
    throw new DaemonError(DaemonErrorCode.ProjectNotFound, `${root} has no manage.py: open the folder of a Django project.`);
  }
  const diagnostics: ConfigDiagnostic[] = [];
  const settingsFile = await findSettingsFile(root, manage);
  if (!settingsFile) {
    diagnostics.push({
      severity: 'warning',
      message: 'manage.py does not name a settings module that exists (DJANGO_SETTINGS_MODULE), so no sites could be read.',
      file: path.join(root, 'manage.py'),
      line: null,
    });
    return { project, sites: [], diagnostics };
  }
  const source = (await readText(settingsFile)) ?? '';
  const relative = path.relative(root, settingsFile);
  const SITES = 'DJANGO_MULTISITE_PLUS_SITES';
  const FORMAT = 'DJANGO_MULTISITE_PLUS_REWRITE_DOMAIN_FORMAT';
  const AUTO_POPULATE = 'DJANGO_MULTISITE_PLUS_AUTO_POPULATE_SITES';
  let assignments: Map<string, Assignment>;
  try {
    assignments = findAssignments(source, [SITES, FORMAT, AUTO_POPULATE]);
  } catch (error) {
    diagnostics.push({ severity: 'error', message: `${relative} could not be read: ${(error as Error).message}.`, file: settingsFile, line: null });
    return { project, sites: [], diagnostics };
  }
  const read = (name: string): PyValue | undefined => {
    const found = assignments.get(name);
    if (!found) return undefined;
    if (!found.result.ok) {
      diagnostics.push({
        severity: 'warning',
        message: `${name} cannot be read without running the settings (${found.result.error.message}).`,
        file: settingsFile,
        line: found.result.error.line,
      });
      return undefined;
    }
    return found.result.value;
  };

  const declared = read(SITES);
  const formatValue = read(FORMAT);
  const format = typeof formatValue === 'string' ? formatValue : DEFAULT_REWRITE_FORMAT;
  const autoPopulated = read(AUTO_POPULATE) === true;
  const line = assignments.get(SITES)?.line ?? null;
  const problem = (message: string): void => {
    diagnostics.push({ severity: 'warning', message, file: settingsFile, line });
  };

  const sites: Site[] = [];
  if (declared !== undefined && !isDict(declared)) problem('DJANGO_MULTISITE_PLUS_SITES must be a dict of slug -> site.');
  for (const [slug, entry] of Object.entries(isDict(declared) ? declared : {})) {
    if (!isDict(entry)) {
      problem(`Site "${slug}" in DJANGO_MULTISITE_PLUS_SITES must be a dict with id, real_domain and name.`);
      continue;
    }
    const id = entry.id;
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 1) {
      problem(`Site "${slug}" in DJANGO_MULTISITE_PLUS_SITES needs a positive integer "id".`);
      continue;
    }
    let rewritten: string | null = null;
    try {
      rewritten = applyRewriteFormat(format, slug);
    } catch (error) {
      problem(`DJANGO_MULTISITE_PLUS_REWRITE_DOMAIN_FORMAT: ${(error as Error).message}.`);
    }
    const live = optionalString(entry.real_domain) ?? rewritten;
    const aliases = Array.isArray(entry.aliases) ? entry.aliases.filter((a): a is string => typeof a === 'string') : [];
    sites.push({
      id,
      slug,
      name: optionalString(entry.name),
      domains: { live, test: rewritten, local: [...new Set([live, ...aliases].filter((d): d is string => d !== null))] },
      aliases,
      autoPopulated,
      sources: [`${relative}:${line ?? 1}`],
    });
  }
  sites.sort((a, b) => (a.id ?? 0) - (b.id ?? 0));
  return { project, sites, diagnostics };
}
