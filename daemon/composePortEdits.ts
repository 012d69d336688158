/**
 * The compose files whose web port hosts mode moved to 80, journaled before the
 * file is written so that leaving hosts mode, cleanup, or the next daemon after
 * a crash puts the original mapping back.
 */
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { findWebPort, publishWebPortOn, restoreWebPort } from './composePorts';
import { JsonJournal } from './jsonJournal';

interface Edit {
  file: string;
  original: string;
  written: string;
}

export class ComposePortEdits {
  private readonly journal: JsonJournal<Edit>;

  constructor(home: string) {
    this.journal = new JsonJournal(path.join(home, 'compose-journal.json'));
  }

  /** Publishes the web port of `file` on 80; returns false when it already was. */
  async publishOn80(file: string): Promise<boolean> {
    const text = await readFile(file, 'utf8');
    const found = findWebPort(text);
    if (!found.ok) throw new Error(`${path.basename(file)}: ${found.reason}`);
    if (found.port.published === 80) return false;
    const edited = publishWebPortOn(text, found.port, 80);
    this.journal.put({ file, original: found.port.raw, written: edited.written }, (a, b) => a.file === b.file);
    await writeFile(file, edited.text);
    return true;
  }

  /** Puts the original mapping back; returns a note when someone changed it since (then it is left alone). */
  async restore(file: string): Promise<string | null> {
    const edit = this.journal.read().find((e) => e.file === file);
    if (!edit) return null;
    let note: string | null = null;
    try {
      const restored = restoreWebPort(await readFile(file, 'utf8'), edit.written, edit.original);
      if (restored === null) note = `${path.basename(file)}: the web port mapping was changed after hosts mode set it, so it was left as it is.`;
      else await writeFile(file, restored);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    this.journal.remove((e) => e.file === file);
    return note;
  }

  async restoreAll(): Promise<string[]> {
    const notes: string[] = [];
    for (const edit of this.journal.read()) {
      const note = await this.restore(edit.file);
      if (note) notes.push(note);
    }
    return notes;
  }

  isEdited(file: string): boolean {
    return this.journal.read().some((e) => e.file === file);
  }
}
