/**
 * The compose files whose web port hosts mode moved to 80, journaled before the
 * file is written so that leaving hosts mode, cleanup, or the next daemon after
 * a crash puts the original mapping back.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { findWebPort, publishWebPortOn, restoreWebPort } from './composePorts';

interface Edit {
  file: string;
  original: string;
  written: string;
}

export class ComposePortEdits {
  private readonly journalFile: string;

  constructor(home: string) {
    this.journalFile = path.join(home, 'compose-journal.json');
  }

  private journal(): Edit[] {
    try {
      const parsed: unknown = JSON.parse(readFileSync(this.journalFile, 'utf8'));
      return Array.isArray(parsed) ? (parsed as Edit[]) : [];
    } catch {
      return [];
    }
  }

  private writeJournal(edits: Edit[]): void {
    const temp = `${this.journalFile}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(edits, null, 2), { mode: 0o600 });
    renameSync(temp, this.journalFile);
  }

  /** Publishes the web port of `file` on 80; returns false when it already was. */
  async publishOn80(file: string): Promise<boolean> {
    const text = await readFile(file, 'utf8');
    const found = findWebPort(text);
    if (!found.ok) throw new Error(`${path.basename(file)}: ${found.reason}`);
    if (found.port.published === 80) return false;
    const edited = publishWebPortOn(text, found.port, 80);
    this.writeJournal([...this.journal().filter((e) => e.file !== file), { file, original: found.port.raw, written: edited.written }]);
    await writeFile(file, edited.text);
    return true;
  }

  /** Puts the original mapping back; returns a note when someone changed it since (then it is left alone). */
  async restore(file: string): Promise<string | null> {
    const edit = this.journal().find((e) => e.file === file);
    if (!edit) return null;
    let note: string | null = null;
    try {
      const restored = restoreWebPort(await readFile(file, 'utf8'), edit.written, edit.original);
      if (restored === null) note = `${path.basename(file)}: the web port mapping was changed after hosts mode set it, so it was left as it is.`;
      else await writeFile(file, restored);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    this.writeJournal(this.journal().filter((e) => e.file !== file));
    return note;
  }

  async restoreAll(): Promise<string[]> {
    const notes: string[] = [];
    for (const edit of this.journal()) {
      const note = await this.restore(edit.file);
      if (note) notes.push(note);
    }
    return notes;
  }

  isEdited(file: string): boolean {
    return this.journal().some((e) => e.file === file);
  }
}
