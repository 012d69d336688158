/**
 * Where in a project's settings a finding points when Django's answer names
 * only a setting or a module: the line assigning the setting (or importing,
 * or naming, the module), else the settings module's own file, where an
 * unset setting would be added. Read from the settings files the sites read
 * already watches, within configFile.ts's bounds; a file that cannot be read
 * is passed over (the sites' own read reports it).
 */
import * as path from 'node:path';
import { readConfigText } from '../base/configFile';
import { withoutComment } from '../sites/python/pythonComment';
import type { SiteConfig } from '../sites/siteConfig';

export interface Place {
  file: string | null;
  line: number | null;
}

type Sources = Pick<SiteConfig, 'watchFiles' | 'servingFacts'>;

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The first line of the settings files (the module's own first) that `pattern` matches, comments left out. */
export async function findInSettings(config: Sources, pattern: RegExp): Promise<Place | null> {
  const own = config.servingFacts.settingsFile ?? null;
  const files = [...new Set([...(own ? [own] : []), ...config.watchFiles.filter((f) => f.endsWith('.py'))])];
  for (const file of files) {
    const text = await readConfigText(file).catch(() => null);
    const index = text?.split(/\r?\n/).findIndex((line) => pattern.test(withoutComment(line))) ?? -1;
    if (index >= 0) return { file, line: index + 1 };
  }
  return null;
}

/** Where `name` is assigned (`NAME =` at any indentation), else the settings module's file. */
export async function settingPlace(config: Sources, name: string): Promise<Place> {
  const found = await findInSettings(config, new RegExp(`^\\s*${escape(name)}\\s*(?::[^=]+)?=(?!=)`));
  return found ?? { file: config.servingFacts.settingsFile ?? null, line: null };
}

/** Where the settings import `module` or name it as a string (INSTALLED_APPS, MIDDLEWARE), or null. */
export function modulePlace(config: Sources, module: string): Promise<Place | null> {
  const imported = [...new Set([module, module.split('.')[0]])].map(escape).join('|');
  return findInSettings(config, new RegExp(`^\\s*(?:import|from)\\s+(?:${imported})\\b|(['"])${escape(module)}(?:\\.[\\w.]*)?\\1`));
}

/** `file:line` (or the file) relative to the project, for a sentence. */
export function placeLabel(root: string, place: Place): string | null {
  if (!place.file) return null;
  const shown = path.relative(root, place.file);
  return place.line ? `${shown}:${place.line}` : shown;
}
