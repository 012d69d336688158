/**
 * Watches every file a project's sites are read from, including those that do
 * not exist yet (creating .env-local or multisite.json counts), and calls back
 * once per burst of changes.
 */
import * as path from 'node:path';
import { watch } from 'chokidar';
import type { FSWatcher } from 'chokidar';
import { COMPOSE_FILES, ENV_FILES } from './envSources';
import { PROJECT_FILE } from './projectFile';

const DEBOUNCE_MS = 150;

export class ConfigWatcher {
  private watcher: FSWatcher | null = null;
  private watched = new Set<string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly onChange: () => void) {}

  /** Watches exactly these files plus the well-known ones at `root`; cheap to call again. */
  watch(root: string, files: readonly string[]): void {
    const wanted = new Set([...files, ...['manage.py', ...ENV_FILES, ...COMPOSE_FILES, PROJECT_FILE].map((f) => path.join(root, f))]);
    if (!this.watcher) {
      this.watcher = watch([...wanted], { ignoreInitial: true });
      this.watcher.on('all', () => this.changed());
      this.watcher.on('error', () => undefined); // a vanished folder is not worth crashing for
    } else {
      const added = [...wanted].filter((f) => !this.watched.has(f));
      const removed = [...this.watched].filter((f) => !wanted.has(f));
      if (added.length) this.watcher.add(added);
      if (removed.length) this.watcher.unwatch(removed);
    }
    this.watched = wanted;
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
