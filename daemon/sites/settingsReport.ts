/**
 * The settings module as people are told of it: what clients show (which
 * module, named where, its file, the others to choose from), and the one
 * sentence when it cannot be read (none named anywhere, or named but in none
 * of the folders Python searches), at the file and line that named it.
 */
import * as path from 'node:path';
import type { SettingsModuleInfo } from '../../protocol/protocol';
import { quoted } from '../base/sentence';
import type { SettingsLocation } from './settingsLocation';

export function settingsInfo(location: SettingsLocation): SettingsModuleInfo {
  return { module: location.module, from: location.from, file: location.file, others: location.others };
}

/** The folders searched, for a sentence: relative to the project where they are inside it. */
function shownFolders(root: string, folders: readonly string[]): string {
  return folders.map((folder) => (folder === root ? '.' : folder.startsWith(root + path.sep) ? path.relative(root, folder) : folder)).join(', ');
}

/** Why no settings were read though nothing refused them: one sentence, at the place that named the module (else manage.py). */
export function settingsNotFound(root: string, location: SettingsLocation): { message: string; file: string; line: number | null } {
  if (!location.module) {
    return {
      message:
        'No settings module is named (DJANGO_SETTINGS_MODULE): not by manage.py, .env, .env-local, pyproject.toml, pytest.ini, setup.cfg or tox.ini, so settings were not read; name one with "settings" in multisite.json, the multisiteLocal.settingsModule setting or --settings.',
      file: path.join(root, 'manage.py'),
      line: null,
    };
  }
  return {
    message: `The settings module ${location.module} (DJANGO_SETTINGS_MODULE, from ${location.from ?? 'the person'}) is in none of the folders Python searches here (${shownFolders(root, location.searchPath)}), so settings were not read.`,
    file: location.declaredIn?.file ?? path.join(root, 'manage.py'),
    line: location.declaredIn?.line ?? null,
  };
}

/**
 * When Django ran with another module than the one passed in DJANGO_SETTINGS_MODULE (manage.py assigns
 * it instead of `setdefault`): what was read statically is not what runs. Null when they agree.
 */
export function settingsOverridden(location: SettingsLocation, ran: string | null): string | null {
  if (!location.passed || !location.module || !ran || ran === location.module) return null;
  return `Django ran with settings ${quoted(ran)}, not ${quoted(location.module)} (from ${location.from ?? 'the person'}): manage.py sets DJANGO_SETTINGS_MODULE itself; use os.environ.setdefault there so the chosen module is used.`;
}
