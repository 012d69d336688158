/**
 * Hosts mode's compose edit on real files, with its real journal: the bytes
 * that are not the port (a Latin-1 comment, a BOM, CRLF) are never re-encoded,
 * a link stays a link, mode is kept, a save made meanwhile is never
 * overwritten, and recovery after a crash at either side of the write ends
 * with the original bytes and no note that blames the user.
 */
import * as assert from 'node:assert/strict';
import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ComposeFileChanged, replaceComposeText, tempBeside } from '../../../../daemon/compose/composeFileWrite';
import { ComposePortEdits } from '../../../../daemon/compose/composePortEdits';
import { JsonJournal } from '../../../../daemon/journal/jsonJournal';
import { DaemonHome } from '../../../../home/daemonHome';
import { useTempProjects } from '../../../support/tempProject';

const TEXT = '\ufeff# local services\r\nservices:\r\n  web:\r\n    ports: ["127.0.0.1:8000:80"]  # keep it local\r\n';

describe('compose port edits on real files', () => {
  const project = useTempProjects('compose-edits', 'each');
  let root: string;
  let file: string;
  let edits: ComposePortEdits;
  let home: string;
  beforeEach(() => {
    root = project();
    home = path.join(root, '.home');
    mkdirSync(home, { mode: 0o700 });
    file = path.join(root, 'docker-compose.yml');
    writeFileSync(file, TEXT);
    edits = new ComposePortEdits(home);
  });
  const journal = (): JsonJournal<{ file: string; original: string; written: string; temp?: string }> =>
    new JsonJournal(new DaemonHome(home).composeEditsJournal);
  const projectFiles = (): string[] => readdirSync(root).filter((name) => name !== '.home');

  it('edits one scalar and restores the exact bytes, BOM and CRLF included', async () => {
    assert.equal(await edits.publishOn80(file), true);
    assert.equal(readFileSync(file, 'utf8'), TEXT.replace('"127.0.0.1:8000:80"', '"127.0.0.1:80:80"'));
    await edits.restore(file);
    assert.equal(readFileSync(file, 'utf8'), TEXT);
    assert.deepEqual(projectFiles(), ['docker-compose.yml'], 'no temp file left');
  });

  it('refuses a file that is not UTF-8, naming its line, and changes no byte', async () => {
    const latin1 = Buffer.from('services:\n  web:\n    # caf\xe9\n    ports: ["8000:80"]\n', 'latin1');
    writeFileSync(file, latin1);
    await assert.rejects(edits.publishOn80(file), {
      message: 'docker-compose.yml line 3 is not UTF-8 text, which compose needs, so the file is left as it is.',
    });
    assert.ok(readFileSync(file).equals(latin1));
    assert.equal(edits.isEdited(file), false);
  });

  it('writes through a link to the file it names, and keeps the link and the mode', async () => {
    const real = path.join(root, 'shared', 'compose.yml');
    mkdirSync(path.dirname(real));
    writeFileSync(real, TEXT);
    chmodSync(real, 0o640);
    const link = path.join(root, 'compose-link.yml');
    symlinkSync(real, link);
    await edits.publishOn80(link);
    assert.ok(lstatSync(link).isSymbolicLink());
    assert.equal(readlinkSync(link), real);
    assert.match(readFileSync(real, 'utf8'), /"127\.0\.0\.1:80:80"/);
    assert.equal(statSync(real).mode & 0o777, 0o640);
    await edits.restore(link);
    assert.equal(readFileSync(real, 'utf8'), TEXT);
    assert.deepEqual(readdirSync(path.dirname(real)), ['compose.yml']);
  });

  it('never overwrites a save made after the file was read', async () => {
    const temp = await tempBeside(file);
    await assert.rejects(replaceComposeText(file, 'edited', 'what it held before the save', temp), ComposeFileChanged);
    assert.equal(readFileSync(file, 'utf8'), TEXT);
    assert.deepEqual(projectFiles(), ['docker-compose.yml']);
  });

  it('recovers quietly after a crash between journaling and writing, removing the temp file left', async () => {
    const temp = await tempBeside(file);
    journal().put({ file, original: '"127.0.0.1:8000:80"', written: '"127.0.0.1:80:80"', temp }, () => false);
    writeFileSync(temp, 'half an edit');
    const recovery = await edits.recover();
    assert.deepEqual(recovery, { done: [], failures: [], undone: [] }, 'the file was never changed: nothing to undo and nothing to blame');
    assert.equal(readFileSync(file, 'utf8'), TEXT);
    assert.deepEqual(projectFiles(), ['docker-compose.yml']);
    assert.equal(edits.isEdited(file), false);
  });

  it('recovers after a crash once the edit was written', async () => {
    await edits.publishOn80(file);
    const recovery = await new ComposePortEdits(home).recover();
    assert.deepEqual(recovery, { done: [`restored the web port mapping in ${file}`], failures: [], undone: [{ kind: 'composePort', path: file }] });
    assert.equal(readFileSync(file, 'utf8'), TEXT);
  });

  it('leaves a mapping the user changed since, and says so', async () => {
    await edits.publishOn80(file);
    writeFileSync(file, TEXT.replace('8000', '8081'));
    const recovery = await edits.recover();
    assert.deepEqual(recovery.failures, ['docker-compose.yml: the web port mapping was changed after hosts mode set it, so it was left as it is.']);
    assert.equal(readFileSync(file, 'utf8'), TEXT.replace('8000', '8081'));
    assert.equal(edits.isEdited(file), false);
  });
});
