/**
 * The rules that decide whether a folder or file of the daemon's can be
 * trusted, on plain facts: another user's files are tested here without root
 * (the real thing, chowned to nobody, is in daemonHome.test.ts when run as root).
 */
import * as assert from 'node:assert/strict';
import { directoryProblem, ownFileProblem, privateFileProblem } from '../../../home/fileOwnership';
import type { PathFacts } from '../../../home/fileOwnership';

const ME = 1000;
const dir = (facts: Partial<PathFacts>): PathFacts => ({ kind: 'directory', uid: ME, mode: 0o700, links: 2, ...facts });
const file = (facts: Partial<PathFacts>): PathFacts => ({ kind: 'file', uid: ME, mode: 0o600, links: 1, ...facts });

describe('which folders and files of the daemon are trusted', () => {
  it('takes a private folder of ours, and refuses one others can read or list', () => {
    assert.equal(directoryProblem(dir({}), ME), null);
    assert.equal(directoryProblem(dir({ mode: 0o755 }), ME)?.clause, 'can be read by other users (mode 0755)');
    assert.equal(directoryProblem(dir({ mode: 0o710 }), ME), null, 'others who may only enter it cannot list it');
  });

  it('refuses a folder that is a link, not a folder, another user’s, or writable by others', () => {
    assert.equal(directoryProblem(dir({ kind: 'symlink' }), ME)?.clause, 'is a symbolic link');
    assert.equal(directoryProblem(dir({ kind: 'file' }), ME)?.clause, 'is not a folder');
    assert.equal(directoryProblem(dir({ uid: 65534 }), ME)?.clause, 'is owned by user 65534, not by user 1000 who runs this');
    assert.equal(directoryProblem(dir({ uid: ME }), 0)?.kind, 'owner', 'root refuses a user’s folder too');
    assert.equal(directoryProblem(dir({ mode: 0o777 }), ME)?.clause, 'can be written by other users (mode 0777)');
    assert.equal(directoryProblem(dir({ mode: 0o770 }), ME)?.kind, 'writable');
  });

  it('refuses a private file that is a link, another user’s, has another name, or that others can read or write', () => {
    assert.equal(privateFileProblem(file({}), ME), null);
    assert.equal(privateFileProblem(file({ kind: 'symlink' }), ME)?.kind, 'symlink');
    assert.equal(privateFileProblem(file({ kind: 'other' }), ME)?.clause, 'is not a regular file');
    assert.equal(privateFileProblem(file({ uid: 0 }), ME)?.kind, 'owner');
    assert.equal(privateFileProblem(file({ links: 2 }), ME)?.clause, 'has 2 names (a hard link was made to it)');
    assert.equal(privateFileProblem(file({ mode: 0o644 }), ME)?.clause, 'can be read by other users (mode 0644)');
    assert.equal(privateFileProblem(file({ mode: 0o640 }), ME)?.kind, 'readable');
    assert.equal(privateFileProblem(file({ mode: 0o602 }), ME)?.kind, 'writable');
  });

  it('lets a file of ours be corrected when only its mode is wrong (the log)', () => {
    assert.equal(ownFileProblem(file({ mode: 0o644 }), ME), null);
    assert.equal(ownFileProblem(file({ uid: 65534 }), ME)?.kind, 'owner');
    assert.equal(ownFileProblem(file({ links: 3 }), ME)?.kind, 'links');
  });

  it('compares no owners or modes where the OS has none (Windows: uid null)', () => {
    assert.equal(directoryProblem(dir({ uid: 0, mode: 0o777 }), null), null);
    assert.equal(privateFileProblem(file({ uid: 0, mode: 0o666 }), null), null);
    assert.equal(privateFileProblem(file({ kind: 'symlink' }), null)?.kind, 'symlink');
  });
});
