/**
 * The sites a project declares in DJANGO_MULTISITE_PLUS_SITES: the settings
 * literal first, then the environment's JSON (.env-local, .env, compose), merged
 * by slug with where each field came from. The literal wins, as Django sees the
 * assignment; where the environment disagrees, or two slugs share an id, that is
 * reported, never silently resolved.
 */
import type { ConfigDiagnostics } from './configDiagnostics';
import { tooDeep } from '../base/configFile';
import type { DomainGate, DomainPlace, GatedDomain } from './domainGate';
import { jsonTooDeepAt } from './jsonNesting';
import { SETTING } from './multisitePlusSettings';
import { lineOfKey } from './python/pythonLiteral';
import type { PyDict } from './python/pythonLiteral';
import { quoted } from '../base/sentence';
import type { Located, settingValues } from './settingValues';

export interface Declared {
  slug: string;
  id: Located<number>;
  name: Located<string> | null;
  /** The real_domain where one is given; its value is null when that is no domain (reported where it is). */
  realDomain: Located<GatedDomain | null> | null;
  aliases: Located<GatedDomain>[];
}

const isDict = (value: unknown): value is PyDict => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);

/** The declared sites by slug, each id once; what cannot be used is reported through `found`. */
export function declaredSites(
  { fromSettings, fromEnv }: ReturnType<typeof settingValues>,
  { report, error, disagree, label }: ConfigDiagnostics,
  gate: DomainGate,
): Map<string, Declared> {
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
      // Bounded like multisite.json (jsonNesting.ts), though JSON.parse does not recurse: one rule for every JSON of the config.
      if (jsonTooDeepAt(sitesEnv.value) === null) parsed = JSON.parse(sitesEnv.value);
      else error(`${SETTING.sites} in ${sitesEnv.label} was not read: ${tooDeep(null)}`, sitesEnv.file, sitesEnv.line);
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
  return declared;
}
