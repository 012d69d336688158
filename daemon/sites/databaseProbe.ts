/**
 * Reads a project's resolved DATABASES['default'] through its own interpreter:
 * a few lines of Python that import its settings module and print the
 * database's engine, name, host and port as JSON. Nothing of ours is imported
 * into the project, nothing is written, and no user string reaches a shell
 * (the script is an argument, the settings module an environment variable).
 * It runs the project's settings, so only where the project's code may run,
 * and journaled (runners/projectCode.ts): settings that hang cannot outlive the daemon.
 */
import { howItEnded } from '../runners/projectCode';
import type { ProjectCode } from '../runners/projectCode';
import { lastLine } from '../base/sentence';
import type { DatabaseSettings } from './databaseIdentity';

const PROBE = `
import json, os, sys
sys.path.insert(0, os.getcwd())
from django.conf import settings
db = settings.DATABASES.get("default", {})
engine = str(db.get("ENGINE") or "")
name = str(db.get("NAME") or "")
if engine.endswith(("sqlite3", "spatialite")) and name and name != ":memory:":
    name = os.path.realpath(name)
print(json.dumps({"engine": engine, "name": name, "host": str(db.get("HOST") or ""), "port": str(db.get("PORT") or "")}))
`;

const TIMEOUT_MS = 15_000;

/** The database `root`'s settings (module `settingsModule`) resolve to, read with `python`. */
export async function probeDatabase(projectCode: ProjectCode, root: string, python: string, settingsModule: string): Promise<DatabaseSettings> {
  const env = { ...process.env, DJANGO_SETTINGS_MODULE: settingsModule };
  const run = await projectCode.run({ python, args: ['-c', PROBE], root, env, timeoutMs: TIMEOUT_MS, label: 'database probe' });
  const last = lastLine(run.stdout) ?? '';
  if (run.error || run.code !== 0) throw new Error(lastLine(run.stderr) ?? `the database probe ${howItEnded(run, TIMEOUT_MS)}`);
  try {
    return JSON.parse(last) as DatabaseSettings;
  } catch {
    throw new Error(`the database probe printed no settings (${last.slice(0, 200)})`);
  }
}
