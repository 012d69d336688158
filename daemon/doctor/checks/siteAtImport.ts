/**
 * site-at-import: with one server for every site (`siteIdPerRequest`), the
 * site is set per request, so a module that reads it while it is imported
 * (`CURRENT_SITE = Site.objects.get_current()`, a class attribute or a
 * default argument of `settings.SITE_ID`) keeps the site current at start on
 * every site. Found in the project's own Python files from their text
 * (sites/python/siteReadsAtImport.ts); nothing of the project runs.
 * URLconfs are passed over: that strategy imports them again per site.
 *
 * The walk stays inside the project and within bounds, as it runs in the
 * daemon that serves every project of the user: symbolic links are never
 * followed (a linked folder can lead anywhere, a loop), virtualenvs and
 * installed packages, caches, hidden folders, migrations and what the server
 * never imports (tests, management commands) are left out, and at most
 * SCAN_BOUNDS's files, folders and bytes are read, each file within
 * configFile.ts's bounds, one file's scan at a time. Past a bound (or a file
 * refused), an information finding says so: "no problems" is never said of
 * files not looked at.
 */
import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { DoctorFinding } from '../../../protocol/protocol';
import type { ConfigFileRefused } from '../../base/configFile';
import { readText } from '../../base/textFile';
import { siteReadsAtImport } from '../../sites/python/siteReadsAtImport';
import type { SiteRead } from '../../sites/python/siteReadsAtImport';
import { CheckNotRun } from '../doctorCheck';
import type { DoctorCheck } from '../doctorCheck';

export interface ScanBounds {
  /** Python files read. */
  files: number;
  /** Folders listed. */
  folders: number;
  /** Bytes of source read in all. */
  bytes: number;
}

export const SCAN_BOUNDS: ScanBounds = { files: 2000, folders: 2000, bytes: 16 << 20 };
/** Findings named one by one; the rest are counted in one more. */
const SHOWN = 5;
/** Files read at once: a few, so the walk is quick and leaves the daemon's I/O to the others. */
const READ_AT_ONCE = 8;

/** Folders holding no module the project's server imports (hidden ones neither). */
const SKIPPED_FOLDERS = new Set(['node_modules', '__pycache__', 'site-packages', 'dist-packages', 'migrations', 'tests', 'test']);
/** Whether `name` in `folder` holds no module the server imports: as SKIPPED_FOLDERS, or an app's management commands (manage.py runs them). */
const skippedFolder = (folder: string, name: string): boolean =>
  name.startsWith('.') || SKIPPED_FOLDERS.has(name) || (name === 'commands' && path.basename(folder) === 'management');
/** A folder holding one of these is an environment (a virtualenv's pyvenv.cfg, a conda environment's conda-meta). */
const ENVIRONMENT_MARKERS = new Set(['pyvenv.cfg', 'conda-meta']);
/** Test modules (pytest's and unittest's names): the server never imports them. URLconfs are re-imported per site. */
const SKIPPED_FILE = /^(?:test_.*|.*_tests?|tests|conftest|urls)\.py$/;

export interface PythonFiles {
  files: string[];
  /** False when a bound stopped the walk. */
  complete: boolean;
}

const byName = (a: Dirent, b: Dirent): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** The project's own Python files under `root`, breadth first (the nearest first when a bound stops the walk). */
export async function projectPythonFiles(root: string, bounds: ScanBounds = SCAN_BOUNDS): Promise<PythonFiles> {
  const files: string[] = [];
  const queue = [root];
  for (let next = 0; next < queue.length; next++) {
    if (next === bounds.folders) return { files, complete: false };
    const folder = queue[next];
    const entries = await readdir(folder, { withFileTypes: true }).catch(() => null);
    if (!entries) {
      if (folder === root) throw new CheckNotRun(`The project's folder ${root} could not be listed, so its Python files were not looked at.`);
      continue;
    }
    if (folder !== root && entries.some((entry) => ENVIRONMENT_MARKERS.has(entry.name))) continue;
    // A symbolic link is neither a file nor a folder here (readdir does not follow it): passed over.
    for (const entry of entries.sort(byName)) {
      if (entry.isFile() && entry.name.endsWith('.py') && !SKIPPED_FILE.test(entry.name)) {
        if (files.length === bounds.files) return { files, complete: false };
        files.push(path.join(folder, entry.name));
      } else if (entry.isDirectory() && !skippedFolder(folder, entry.name)) {
        queue.push(path.join(folder, entry.name));
      }
    }
  }
  return { files, complete: true };
}

export interface SiteReadPlace extends SiteRead {
  file: string;
}

export interface SiteReadsFound {
  places: SiteReadPlace[];
  /** False when a bound stopped the scan before every file was read. */
  complete: boolean;
  /** Files configFile.ts's bounds refused (too large, no regular file): not looked at. */
  refused: ConfigFileRefused[];
}

/** The reads of the site at import time in the project's own modules, URLconfs left out. */
export async function projectSiteReads(root: string, bounds: ScanBounds = SCAN_BOUNDS): Promise<SiteReadsFound> {
  const { files, complete } = await projectPythonFiles(root, bounds);
  const found: SiteReadsFound = { places: [], complete, refused: [] };
  let bytes = 0;
  for (let start = 0; start < files.length; start += READ_AT_ONCE) {
    const batch = files.slice(start, start + READ_AT_ONCE);
    // A file gone meanwhile (or unreadable) is passed over, as every reader of the project's sources does.
    const texts = await Promise.all(batch.map((file) => readText(file, (error) => found.refused.push(error)).catch(() => null)));
    for (const [index, text] of texts.entries()) {
      if (!text) continue;
      bytes += Buffer.byteLength(text);
      if (bytes > bounds.bytes) return { ...found, complete: false };
      const scan = siteReadsAtImport(text);
      if (!scan.urlpatterns) found.places.push(...scan.reads.map((read) => ({ file: batch[index], ...read })));
      // One file's scan at a time: the daemon answers its other requests in between.
      await nextTurn();
    }
  }
  return found;
}

const REMEDY = 'read it inside the view or function that uses it (per request), or set "routing": "siteId" in multisite.json for a server per site';

const note = (message: string): DoctorFinding => ({ code: 'site-at-import', severity: 'info', message, file: null, line: null });

export function siteAtImportFindings(root: string, found: SiteReadsFound, bounds: ScanBounds = SCAN_BOUNDS): DoctorFinding[] {
  const where = (place: SiteReadPlace): string => `${path.relative(root, place.file)}:${place.line}`;
  // One more is named rather than counted.
  const named = found.places.length <= SHOWN + 1 ? found.places : found.places.slice(0, SHOWN);
  const findings: DoctorFinding[] = named.map((place) => ({
    code: 'site-at-import',
    severity: 'warning',
    message: `${where(place)} reads the site at import time (${place.expression}), so with one server for every site it keeps the site that was current at start on every site: ${REMEDY}.`,
    file: place.file,
    line: place.line,
  }));
  const more = found.places.slice(named.length);
  if (more.length > 0) {
    findings.push({
      code: 'site-at-import',
      severity: 'warning',
      message: `${more.length} more lines read the site at import time (${where(more[0])} and others), so with one server for every site they keep the site that was current at start on every site: ${REMEDY}.`,
      file: null,
      line: null,
    });
  }
  const [refused] = found.refused;
  if (refused) {
    const first = `${path.relative(root, refused.file)}${found.refused.length > 1 ? `, the first of ${found.refused.length}` : ''}`;
    findings.push(note(`${first} was not looked at for reads of the site at import time: ${refused.reason}.`));
  }
  if (!found.complete) {
    findings.push(
      note(
        `The look for reads of the site at import time stopped at its bounds (${bounds.files} Python files, ${bounds.folders} folders, ${bounds.bytes >> 20} MB in all), so the project's other files were not looked at.`,
      ),
    );
  }
  return findings;
}

/** What the server's own self-check found when it refused one server for every site (perRequestCheck.ts). */
const refusedAtStart = (why: string): DoctorFinding => ({
  code: 'site-at-import',
  severity: 'warning',
  message: `One server for every site failed its self-check at start (${why}), so each site is served by a server of its own: fix that, then restart the project to serve every site from one server again.`,
  file: null,
  line: null,
});

export const siteAtImport: DoctorCheck = {
  code: 'site-at-import',
  // Only one server for every site keeps what was read at import: a server per site, or one restarted per switch, imports again.
  run: async (context) => {
    const refused = context.perRequestRefused ?? null;
    if (context.strategy !== 'siteIdPerRequest' && refused === null) return [];
    const found = siteAtImportFindings(context.root, await projectSiteReads(context.root));
    return refused === null ? found : [refusedAtStart(refused), ...found];
  },
};
