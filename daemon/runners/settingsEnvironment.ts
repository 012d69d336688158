/**
 * The settings module in the environment of every run of a project's code
 * (runserver, the read of Django, migrate, the populate commands, probes):
 * the module the daemon found or the person chose (sites/settingsLocation.ts)
 * as DJANGO_SETTINGS_MODULE, which manage.py's `os.environ.setdefault` keeps,
 * so what runs is what was read. With none known, a DJANGO_SETTINGS_MODULE
 * the daemon inherited is removed: the daemon is shared by every project, and
 * one started from a shell of another project must not run this one with it.
 */
export function withSettingsModule(env: NodeJS.ProcessEnv, module: string | null | undefined): NodeJS.ProcessEnv {
  if (module) env.DJANGO_SETTINGS_MODULE = module;
  else delete env.DJANGO_SETTINGS_MODULE;
  return env;
}
