/** The settings module as read without running it: star imports followed, later ones winning. */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { readSettings } from '../../../../daemon/sites/settingsModule';
import { useTempProjects } from '../../../support/tempProject';

const MANAGE = 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n';

describe('settings module', () => {
  const temp = useTempProjects('domains');

  it('follows relative and absolute star imports, later ones winning', async () => {
    const root = temp({
      'manage.py': MANAGE,
      'proj/settings/__init__.py': 'from proj.settings.a import *\nfrom .b import *\nfrom django.conf.global_settings import *\n',
      'proj/settings/a.py': 'X = 1\nY = "a"\n',
      'proj/settings/b.py': 'Y = "b"\n',
    });
    const read = await readSettings(root, ['X', 'Y']);
    const values = Object.fromEntries([...read.values].map(([k, v]) => [k, v.assignment.result.ok ? v.assignment.result.value : null]));
    assert.deepEqual(values, { X: 1, Y: 'b' });
    assert.equal(read.file, path.join(root, 'proj', 'settings', '__init__.py'));
  });
});
