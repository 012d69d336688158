/** The settings module a project runs with, as the CLI prints it under `sites` and `status`. */
import type { SettingsModuleInfo } from '../protocol/protocol';

/** One line: the module, where it was named, and the others `--settings` may choose. */
export function describeSettings(settings: SettingsModuleInfo | null | undefined): string | null {
  if (!settings) return null;
  if (!settings.module) return 'Settings module: none named (choose one with --settings MODULE or "settings" in multisite.json).';
  const from = settings.from ? ` (from ${settings.from})` : '';
  const others = settings.others.length ? `; others: ${settings.others.join(', ')} (--settings MODULE)` : '';
  return `Settings module: ${settings.module}${from}${others}`;
}
