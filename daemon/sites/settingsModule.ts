/**
 * Reads settings from a project's settings module without importing it: the
 * module settingsLocation.ts finds (named by manage.py, the environment, the
 * pytest configuration or the person), on the folders Python searches (the
 * src layout, editable installs), and the project modules it star-imports (settings
 * packages such as `settings/__init__.py` doing `from .base import *`), with
 * later assignments overriding earlier ones as Python would. Each file is read
 * within the bounds of configFile.ts: one refused is an error at that file.
 */
import { ConfigFileRefused } from '../base/configFile';
import type { Assignment } from './python/pythonLiteral';
import { scanModule } from './python/pythonLiteral';
import { PythonSyntaxError } from './python/pythonErrors';
import { findModule, locateSettings } from './settingsLocation';
import type { SettingsLocation } from './settingsLocation';

export interface SettingValue {
  file: string;
  assignment: Assignment;
}

export interface SettingsRead {
  /** The settings module's own file, or null when none is named or none of the searched folders holds it. */
  file: string | null;
  /** Every file read (for watching). */
  files: string[];
  /** The text of each file read, for what scans the settings further (servingFacts). */
  sources: Map<string, string>;
  values: Map<string, SettingValue>;
  /** Files that could not be read, with the reason and its line: Python would refuse them (`invalidPython`), or they could not be scanned. */
  errors: { file: string; line: number | null; message: string; invalidPython: boolean }[];
}

/** Resolves `from .x import *` inside `current` (a module, or a package when isPackage) to a dotted name. */
function absoluteModule(current: string, isPackage: boolean, target: string): string {
  const dots = /^\.*/.exec(target)?.[0].length ?? 0;
  if (dots === 0) return target;
  const parts = current.split('.');
  const packageParts = isPackage ? parts : parts.slice(0, -1);
  const base = packageParts.slice(0, packageParts.length - (dots - 1));
  const rest = target.slice(dots);
  return [...base, ...(rest ? rest.split('.') : [])].join('.');
}

/**
 * The settings `names` as the module at `location` (settingsLocation.ts; found for `root` when not
 * given) assigns them, following its star imports through the same folders Python searches.
 */
export async function readSettings(root: string, names: readonly string[], location?: SettingsLocation): Promise<SettingsRead> {
  const read: SettingsRead = { file: null, files: [], sources: new Map(), values: new Map(), errors: [] };
  /** A file refused whole (too large, no regular file): an error at it, and watched, so that it is read again once fixed. */
  const refused = (error: unknown, isEntry: boolean): void => {
    if (!(error instanceof ConfigFileRefused)) throw error;
    if (isEntry) read.file = error.file;
    read.files.push(error.file);
    read.errors.push({ file: error.file, line: error.line, message: error.reason, invalidPython: false });
  };
  const where = location ?? (await locateSettings(root, null));
  for (const error of where.refused) refused(error, error.file === where.file);
  const dotted = where.module;
  if (!dotted || where.refused.some((error) => error.file === where.file)) return read;
  const visiting = new Set<string>();
  const visit = async (module: string, isEntry: boolean): Promise<void> => {
    if (visiting.has(module)) return; // import cycles: Python would not loop either
    visiting.add(module);
    let found: Awaited<ReturnType<typeof findModule>>;
    try {
      found = await findModule(where.searchPath, module);
    } catch (error) {
      return refused(error, isEntry);
    }
    if (!found) return; // third-party or missing optional module (often in try/except ImportError)
    if (isEntry) read.file = found.file;
    read.files.push(found.file);
    read.sources.set(found.file, found.source);
    let statements;
    try {
      statements = scanModule(found.source, names);
    } catch (error) {
      const invalidPython = error instanceof PythonSyntaxError;
      read.errors.push({ file: found.file, line: invalidPython ? error.line : null, message: (error as Error).message, invalidPython });
      return;
    }
    for (const statement of statements) {
      if (statement.kind === 'assign') read.values.set(statement.name, { file: found.file, assignment: statement.assignment });
      else await visit(absoluteModule(module, found.isPackage, statement.module), false);
    }
  };
  await visit(dotted, true);
  return read;
}
