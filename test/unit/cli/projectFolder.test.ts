/** The CLI's project folder: the one given, or the Django project one level down (issue 23). */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { projectFolder } from '../../../cli/projectFolder';
import { useTempProjects } from '../../support/tempProject';

describe('the CLI’s project folder', () => {
  const temp = useTempProjects('project-folder');

  it('is the folder given when it holds manage.py', () => {
    const root = temp({ 'manage.py': '', 'app/manage.py': '' });
    assert.equal(projectFolder(root), root);
  });

  it('is the one folder one level down that holds manage.py, environments aside', () => {
    const repo = temp({ 'README.md': '', 'backend/manage.py': '', '.venv/manage.py': '', 'docs/index.md': '' });
    assert.equal(projectFolder(repo), path.join(repo, 'backend'));
  });

  it('stays the folder given when none or several are one level down (the daemon then says what is missing)', () => {
    const none = temp({ 'README.md': '' });
    assert.equal(projectFolder(none), none);
    const two = temp({ 'shop/manage.py': '', 'blog/manage.py': '' });
    assert.equal(projectFolder(two), two);
    assert.equal(projectFolder(path.join(two, 'missing')), path.join(two, 'missing'));
  });
});
