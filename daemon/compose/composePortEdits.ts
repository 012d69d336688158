/**
 * The compose files whose web port hosts mode moved to 80, journaled before the
 * file is written so that leaving hosts mode, cleanup, or the next daemon after
 * a crash puts the original mapping back.
 */
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { findWebPort, publishWebPortOn, restoreWebPort } from './composePorts';
import { fileChange } from '../fileChange';
import type { FileChange } from '../fileChange';
import { JsonJournal } from '../journal/jsonJournal';
import type { Recoverable, Recovery } from '../journal/recoverable';
import { DaemonHome } from '../protocol/daemonHome';

interface Edit {
  file: string;
  original: string;
  written: string;
}

export class ComposePortEdits implements Recoverable {
  private readonly journal: JsonJournal<Edit>;

  constructor(home: string) {
    this.journal = new JsonJournal(new DaemonHome(home).composeEditsJournal);
  }

  /** Publishes the web port of `file` on 80; returns false when it already was. Refused (thrown, one sentence) when it cannot be. */
  async publishOn80(file: string): Promise<boolean> {
    const name = path.basename(file);
    const text = await readFile(file, 'utf8');
    const found = findWebPort(text, name);
    if (!found.ok) throw new Error(found.reason);
    if (found.port.published === 80) return false;
    const edited = publishWebPortOn(text, found.port, 80, name);
    if (!edited.ok) throw new Error(edited.reason);
    this.journal.put({ file, original: found.port.raw, written: edited.written }, (a, b) => a.file === b.file);
    await writeFile(file, edited.text);
    return true;
  }

  /**
   * Puts the original mapping back (or, with `dryRun`, only computes it). `note` says
   * when someone changed the mapping since; then it is theirs and is left alone.
   */
  async restore(file: string, dryRun = false): Promise<{ change: FileChange | null; note: string | null }> {
    const edit = this.journal.read().find((e) => e.file === file);
    if (!edit) return { change: null, note: null };
    let before: string;
    try {
      before = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      if (!dryRun) this.journal.remove((e) => e.file === file);
      return { change: null, note: null };
    }
    const restored = restoreWebPort(before, edit.written, edit.original);
    const note = restored === null ? `${path.basename(file)}: the web port mapping was changed after hosts mode set it, so it was left as it is.` : null;
    const after = restored ?? before;
    if (!dryRun) {
      if (after !== before) await writeFile(file, after);
      this.journal.remove((e) => e.file === file);
    }
    return {
      change: fileChange(
        file,
        after !== before,
        () => before,
        () => after,
      ),
      note,
    };
  }

  async restoreAll(dryRun = false): Promise<{ changes: FileChange[]; notes: string[] }> {
    const changes: FileChange[] = [];
    const notes: string[] = [];
    for (const edit of this.journal.read()) {
      const { change, note } = await this.restore(edit.file, dryRun);
      if (change) changes.push(change);
      if (note) notes.push(note);
    }
    return { changes, notes };
  }

  /** Puts every journaled mapping back (after a crash, and on exit). */
  async recover(): Promise<Recovery> {
    const done: string[] = [];
    const failures: string[] = [];
    for (const edit of this.journal.read()) {
      try {
        const { change, note } = await this.restore(edit.file);
        if (change?.changed) done.push(`restored the web port mapping in ${edit.file}`);
        if (note) failures.push(note);
      } catch (error) {
        failures.push(`${edit.file}: ${(error as Error).message}`);
      }
    }
    return { done, failures };
  }

  isEdited(file: string): boolean {
    return this.journal.read().some((e) => e.file === file);
  }
}
