/**
 * One setting's value as the project states it: a literal in the settings
 * module (read statically) wins over the environment (.env-local, .env, the
 * compose web service), as Django sees the assignment; each value carries
 * where it was found. What cannot be read is reported, not guessed.
 */
import * as path from 'node:path';
import type { EnvVar, readEnvSources } from './envSources';
import type { DoctorCode, ForcedSiteId, Severity } from '../../protocol/protocol';
import type { PyValue } from './python/pythonLiteral';
import type { readSettings } from './settingsModule';

/** A value with where it was found: `file` absolute, `label` as shown to people. */
export interface Located<T> {
  value: T;
  file: string;
  line: number;
  label: string;
}

/** Reports a diagnostic; `code`: the doctor check that lists it too. */
export type Report = (severity: Severity, message: string, file: string | null, line: number | null, code?: DoctorCode) => void;

/** Accepts what aldryn's `boolean_ish` accepts for environment flags. */
export function booleanish(text: string): boolean | null {
  const t = text.trim().toLowerCase();
  if (['true', '1', 'yes', 'on', 'y', 't'].includes(t)) return true;
  if (['false', '0', 'no', 'off', 'n', 'f', ''].includes(t)) return false;
  return null;
}

/** Lookups of settings by name for one project, reporting what cannot be read. */
export function settingValues(
  root: string,
  settings: Awaited<ReturnType<typeof readSettings>>,
  env: Awaited<ReturnType<typeof readEnvSources>>,
  report: Report,
) {
  const label = (file: string, line: number): string => `${path.relative(root, file)}:${line}`;
  /** A setting's literal value from the settings module, if it has one. */
  const fromSettings = (name: string, quietIfComputed = false): Located<PyValue> | null => {
    const found = settings.values.get(name);
    if (!found) return null;
    if (!found.assignment.result.ok) {
      if (!quietIfComputed) {
        report(
          'warning',
          `${name} cannot be read without running the settings (${found.assignment.result.error.message}).`,
          found.file,
          found.assignment.result.error.line,
        );
      }
      return null;
    }
    return { value: found.assignment.result.value, file: found.file, line: found.assignment.line, label: label(found.file, found.assignment.line) };
  };
  const fromEnv = (name: string): (EnvVar & { label: string }) | null => {
    const found = env.vars.get(name);
    return found ? { ...found, label: label(found.file, found.line) } : null;
  };
  const flag = (name: string): boolean | null => {
    const literal = fromSettings(name, true);
    if (literal && typeof literal.value === 'boolean') return literal.value;
    const envValue = fromEnv(name);
    if (!envValue) return null;
    const parsed = booleanish(envValue.value);
    if (parsed === null)
      report('warning', `${name} in ${envValue.label} is "${envValue.value}", which is neither true nor false.`, envValue.file, envValue.line);
    return parsed;
  };

  return { fromSettings, fromEnv, flag };
}

/** SITE_ID forced by the project: a literal in settings, or a value in its environment. */
export function findForcedSiteId(literal: Located<PyValue> | null, env: (EnvVar & { label: string }) | null): ForcedSiteId | null {
  if (literal && typeof literal.value === 'number') return { value: literal.value, file: literal.file, line: literal.line };
  if (env && /^\d+$/.test(env.value.trim())) return { value: Number(env.value), file: env.file, line: env.line };
  return null;
}
