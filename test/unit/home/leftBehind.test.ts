/**
 * What a client reads in the daemon's home to tell that a daemon stopped
 * unexpectedly and left changes to undo: the daemon's own journals, written by
 * the daemon's own classes (so the file names cannot drift apart), and the
 * record of a hosts write in place.
 */
import * as assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ComposeRuns } from '../../../daemon/compose/composeRuns';
import { ProcessJournal } from '../../../daemon/journal/processJournal';
import { DaemonHome } from '../../../home/daemonHome';
import { leftBehind } from '../../../home/leftBehind';
import { tempFolder } from '../../support/tempProject';

describe('leftBehind', () => {
  let home: DaemonHome;
  beforeEach(() => {
    home = new DaemonHome(path.join(tempFolder('left-behind'), 'home'));
    home.ensure();
  });
  afterEach(() => rmSync(path.dirname(home.dir), { recursive: true, force: true }));

  it('is false for a new home and for journals a daemon emptied', () => {
    assert.equal(leftBehind(home), false);
    const journal = new ProcessJournal(home.processJournal);
    journal.record({ pgid: process.pid, root: '/w/demo', marker: 'manage.py runserver' });
    assert.equal(leftBehind(home), true, 'a server recorded');
    journal.forget(process.pid);
    assert.equal(leftBehind(home), false, 'the server forgotten: the journal holds []');
  });

  it('sees every journal, and a hosts write in place left part way', () => {
    const runs = new ComposeRuns(home.dir);
    runs.record({ root: '/w/demo', composeFile: '/w/demo/docker-compose.yml', service: 'web', cli: ['docker-compose'] });
    assert.equal(leftBehind(home), true, 'a compose web service recorded');
    runs.forget('/w/demo');
    assert.equal(leftBehind(home), false);
    writeFileSync(path.join(home.dir, 'hosts-1234.in-place.json'), '{}', { mode: 0o600 });
    assert.equal(leftBehind(home), true, 'a write in place recorded');
  });

  it('counts a journal it cannot parse as empty, as the daemon does', () => {
    writeFileSync(home.hostsJournal, '[{"file": ', { mode: 0o600 });
    assert.equal(leftBehind(home), false);
  });
});
