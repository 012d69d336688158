/**
 * Watches every file a project's sites are read from, including those that do
 * not exist yet (creating .env-local or multisite.json counts), and calls back
 * once per burst of changes. Changes to what the Sites table depends on (the
 * database file, migrations) are reported as such: only they justify reading
 * the table again, which runs project code.
 */
import * as path from 'node:path';
import { watch } from 'chokidar';
import type { FSWatcher } from 'chokidar';
import { COMPOSE_FILES } from '../compose/composeFile';
import { ENV_FILES } from './envSources';
import { MULTISITE_JSON } from './multisiteJson';
import type { TableSources } from './tableSources';

const DEBOUNCE_MS = 150;

export class ConfigWatcher {
  private watcher: FSWatcher | null = null;
  private watched = new Set<string>();
  private tableFiles = new Set<string>();
  private tableFolders = new Set<string>();
  private folders = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private tableChanged = false;

  /** `onChange(tableChanged)`: tableChanged when the database or migrations changed in this burst. */
  constructor(private readonly onChange: (tableChanged: boolean) => void) {}

  /**
   * Watches exactly these files plus the well-known ones at `root`; cheap to call again.
   * Resolves when watching has begun.
   * chokidar follows only one not-yet-existing file per folder, so the folders are
   * watched (not recursively) and events are filtered to the files we read.
   */
  async watch(root: string, files: readonly string[], table: TableSources = { files: [], folders: [] }): Promise<void> {
    this.watched = new Set([...files, ...['manage.py', ...ENV_FILES, ...COMPOSE_FILES, MULTISITE_JSON].map((f) => path.join(root, f))]);
    this.tableFiles = new Set(table.files);
    this.tableFolders = new Set(table.folders);
    const wanted = [...[...this.watched, ...this.tableFiles].map((f) => path.dirname(f)), ...this.tableFolders];
    const folders = [...new Set(wanted)].filter((d) => !this.folders.has(d));
    for (const folder of folders) this.folders.add(folder);
    if (!this.watcher) {
      this.watcher = watch(folders, { ignoreInitial: true, depth: 0 });
      this.watcher.on('all', (_event, file) => {
        const changed = path.resolve(file);
        if (this.tableFiles.has(changed) || (changed.endsWith('.py') && this.tableFolders.has(path.dirname(changed)))) this.changed(true);
        else if (this.watched.has(changed)) this.changed(false);
      });
      this.watcher.on('error', () => undefined); // a vanished folder is not worth crashing for
      // Resolve once the first scan is done, so an edit right after opening is not missed.
      await new Promise<void>((resolve) => this.watcher?.once('ready', () => resolve()));
    } else if (folders.length) {
      this.watcher.add(folders);
    }
  }

  private changed(table: boolean): void {
    this.tableChanged ||= table;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      const tableChanged = this.tableChanged;
      this.tableChanged = false;
      this.onChange(tableChanged);
    }, DEBOUNCE_MS);
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    await this.watcher?.close();
    this.watcher = null;
  }
}
