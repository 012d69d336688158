/**
 * Watches every file a project's sites are read from, including those that do
 * not exist yet (creating .env-local or multisite.json counts), and calls back
 * once per burst of changes.
 */
import * as path from 'node:path';
import { watch } from 'chokidar';
import type { FSWatcher } from 'chokidar';
import { COMPOSE_FILES } from './composeFile';
import { ENV_FILES } from './envSources';
import { PROJECT_FILE } from './projectFile';

const DEBOUNCE_MS = 150;

export class ConfigWatcher {
  private watcher: FSWatcher | null = null;
  private watched = new Set<string>();
  private folders = new Set<string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly onChange: () => void) {}

  /**
   * Watches exactly these files plus the well-known ones at `root`; cheap to call again.
   * Resolves when watching has begun.
   * chokidar follows only one not-yet-existing file per folder, so the folders are
   * watched (not recursively) and events are filtered to the files we read.
   */
  async watch(root: string, files: readonly string[]): Promise<void> {
    this.watched = new Set([...files, ...['manage.py', ...ENV_FILES, ...COMPOSE_FILES, PROJECT_FILE].map((f) => path.join(root, f))]);
    const folders = [...new Set([...this.watched].map((f) => path.dirname(f)))].filter((d) => !this.folders.has(d));
    for (const folder of folders) this.folders.add(folder);
    if (!this.watcher) {
      this.watcher = watch(folders, { ignoreInitial: true, depth: 0 });
      this.watcher.on('all', (_event, file) => {
        if (this.watched.has(path.resolve(file))) this.changed();
      });
      this.watcher.on('error', () => undefined); // a vanished folder is not worth crashing for
      // Resolve once the first scan is done, so an edit right after opening is not missed.
      await new Promise<void>((resolve) => this.watcher?.once('ready', () => resolve()));
    } else if (folders.length) {
      this.watcher.add(folders);
    }
  }

  private changed(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.onChange();
    }, DEBOUNCE_MS);
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    await this.watcher?.close();
    this.watcher = null;
  }
}
