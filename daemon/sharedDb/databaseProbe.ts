/**
 * Reads a project's resolved DATABASES['default'] through its own interpreter:
 * a few lines of Python that import its settings module and print the
 * database's engine, name, host and port as JSON. Nothing of ours is imported
 * into the project, nothing is written, and no user string reaches a shell
 * (the script is an argument, the settings module an environment variable).
 * It runs the project's settings, so only where the project's code may run.
 */
import { execFile } from 'node:child_process';
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
export function probeDatabase(root: string, python: string, settingsModule: string): Promise<DatabaseSettings> {
  return new Promise((resolve, reject) => {
    execFile(
      python,
      ['-c', PROBE],
      { cwd: root, timeout: TIMEOUT_MS, env: { ...process.env, DJANGO_SETTINGS_MODULE: settingsModule } },
      (error, stdout, stderr) => {
        const last = stdout.trim().split('\n').pop() ?? '';
        if (error) return reject(new Error(stderr.trim().split('\n').pop() || error.message));
        try {
          resolve(JSON.parse(last) as DatabaseSettings);
        } catch {
          reject(new Error(`the database probe printed no settings (${last.slice(0, 200)})`));
        }
      },
    );
  });
}
