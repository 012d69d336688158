/**
 * What a settings module name may be (DJANGO_SETTINGS_MODULE): a dotted Python
 * module name. Checked alike by the clients (the CLI's `--settings`, the
 * extension's setting) and the daemon (an open's choice, multisite.json), so a
 * path, a space or anything a shell would read never becomes one.
 */
export function isModuleName(text: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(text);
}
