/**
 * The compose files whose web port hosts mode moved to 80, journaled before the
 * file is written so that leaving hosts mode, cleanup, or the next daemon after
 * a crash puts the original mapping back. A crash at any point leaves the file
 * whole (composeFileWrite.ts) and the journal naming it, so recovery finds it
 * edited (and restores it), or still or again original (and only forgets it),
 * and removes the temp file a write may have left beside it.
 */
import { rm } from 'node:fs/promises';
import * as path from 'node:path';
import { findWebPort, publishWebPortOn, restoreWebPort } from './composePorts';
import { NotUtf8Text, readComposeText, replaceComposeText, tempBeside } from './composeFileWrite';
import { fileChange } from '../base/fileChange';
import type { FileChange } from '../base/fileChange';
import { JsonJournal } from '../journal/jsonJournal';
import type { Recoverable, Recovery } from '../journal/recoverable';
import type { RecoveredChange } from '../../protocol/protocol';
import { DaemonHome } from '../../home/daemonHome';

interface Edit {
  file: string;
  original: string;
  written: string;
  /** The temp file beside the compose file that this edit's writes go through (absent in records of daemons from before it was journaled). */
  temp?: string;
}

export class ComposePortEdits implements Recoverable {
  private readonly journal: JsonJournal<Edit>;

  constructor(home: string) {
    this.journal = new JsonJournal(new DaemonHome(home).composeEditsJournal);
  }

  /** Publishes the web port of `file` on 80; returns false when it already was. Refused (thrown, one sentence) when it cannot be. */
  async publishOn80(file: string): Promise<boolean> {
    const name = path.basename(file);
    const text = await readComposeText(file);
    const found = findWebPort(text, name);
    if (!found.ok) throw new Error(found.reason);
    if (found.port.published === 80) return false;
    const edited = publishWebPortOn(text, found.port, 80, name);
    if (!edited.ok) throw new Error(edited.reason);
    const edit: Edit = { file, original: found.port.raw, written: edited.written, temp: await tempBeside(file) };
    this.journal.put(edit, (a, b) => a.file === b.file);
    try {
      await replaceComposeText(file, edited.text, text, edit.temp as string);
    } catch (error) {
      // Nothing was written: nothing to undo later.
      this.journal.remove((e) => e.file === file);
      throw error;
    }
    return true;
  }

  /**
   * Puts the original mapping back (or, with `dryRun`, only computes it). `note` says
   * when someone changed the mapping since; then it is theirs and is left alone.
   */
  async restore(file: string, dryRun = false): Promise<{ change: FileChange | null; note: string | null }> {
    const edit = this.journal.read().find((e) => e.file === file);
    if (!edit) return { change: null, note: null };
    const forget = async (): Promise<void> => {
      if (edit.temp) await rm(edit.temp, { force: true });
      this.journal.remove((e) => e.file === file);
    };
    let before: string;
    try {
      before = await readComposeText(file);
    } catch (error) {
      // Gone, or rewritten as text we would not write back: either way no longer ours to restore.
      const gone = (error as NodeJS.ErrnoException).code === 'ENOENT';
      if (!gone && !(error instanceof NotUtf8Text)) throw error;
      if (!dryRun) await forget();
      return { change: null, note: gone ? null : `${(error as Error).message.replace(/\.$/, '')}; its web port mapping was not restored.` };
    }
    const restored = restoreWebPort(before, edit.written, edit.original);
    // Still (or again) the original: a crash came before our write, or after the restore's.
    const found = findWebPort(before);
    const untouched = restored === null && found.ok && found.port.raw === edit.original;
    const note =
      restored === null && !untouched ? `${path.basename(file)}: the web port mapping was changed after hosts mode set it, so it was left as it is.` : null;
    const after = restored ?? before;
    if (!dryRun) {
      if (after !== before) await replaceComposeText(file, after, before, edit.temp ?? (await tempBeside(file)));
      await forget();
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
    const undone: RecoveredChange[] = [];
    for (const edit of this.journal.read()) {
      try {
        const { change, note } = await this.restore(edit.file);
        if (change?.changed) {
          done.push(`restored the web port mapping in ${edit.file}`);
          undone.push({ kind: 'composePort', path: edit.file });
        }
        if (note) failures.push(note);
      } catch (error) {
        failures.push(`${edit.file}: ${(error as Error).message}`);
      }
    }
    return { done, failures, undone };
  }

  isEdited(file: string): boolean {
    return this.journal.read().some((e) => e.file === file);
  }
}
