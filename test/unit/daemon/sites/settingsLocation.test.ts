/**
 * Which settings module a project runs with and where its file is (issue 23):
 * the order of the places that name it, the folders Python searches (src
 * layout, manage.py's sys.path, .pth files and editable finders in the
 * project's environment), the other modules a person may choose, and the
 * static reading of the module so found.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { environmentOf } from '../../../../daemon/sites/pythonSearchPath';
import { locateSettings } from '../../../../daemon/sites/settingsLocation';
import { readSettings } from '../../../../daemon/sites/settingsModule';
import { settingsNotFound, settingsOverridden } from '../../../../daemon/sites/settingsReport';
import { readSiteConfig } from '../../../../daemon/sites/siteConfig';
import { useTempProjects } from '../../../support/tempProject';

const MANAGE = (module: string): string =>
  `import os\nimport sys\n\nif __name__ == "__main__":\n    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "${module}")\n`;
const SITE_PACKAGES = '.venv/lib/python3.11/site-packages';

/** The value of each setting `read` found, by name. */
const valuesOf = (read: Awaited<ReturnType<typeof readSettings>>): Record<string, unknown> =>
  Object.fromEntries([...read.values].map(([k, v]) => [k, v.assignment.result.ok ? v.assignment.result.value : null]));

describe('settings location', () => {
  const temp = useTempProjects('settings-location');

  it('finds a src-layout package installed by a .pth in .venv, and reads its star imports there', async () => {
    const root = temp({
      'manage.py': MANAGE('harbour.settings.dev'),
      'src/harbour/__init__.py': '',
      'src/harbour/settings/__init__.py': '',
      'src/harbour/settings/base.py': 'SITE_ID = 1\nALLOWED_HOSTS = []\n',
      'src/harbour/settings/dev.py': 'from .base import *\nALLOWED_HOSTS = ["localhost"]\n',
      'src/harbour/settings/prod.py': 'from harbour.settings.base import *\n',
      [`${SITE_PACKAGES}/distutils-precedence.pth`]: "import os; var = 'SETUPTOOLS_USE_DISTUTILS'\n",
    });
    // An editable install writes the absolute path of src/.
    const pth = path.join(root, SITE_PACKAGES, '__editable__.harbour-1.0.pth');
    writeFileSync(pth, `${path.join(root, 'src')}\n`);
    const location = await locateSettings(root, null);
    assert.equal(location.module, 'harbour.settings.dev');
    assert.equal(location.from, 'manage.py:5');
    assert.equal(location.file, path.join(root, 'src', 'harbour', 'settings', 'dev.py'));
    assert.deepEqual(location.others, ['harbour.settings.base', 'harbour.settings.prod']);
    const read = await readSettings(root, ['SITE_ID', 'ALLOWED_HOSTS'], location);
    assert.deepEqual(valuesOf(read), { SITE_ID: 1, ALLOWED_HOSTS: ['localhost'] });
    assert.ok(read.files.includes(path.join(root, 'src', 'harbour', 'settings', 'base.py')));
  });

  it('finds a package installed into the environment’s site-packages (pip install ., not editable)', async () => {
    const root = temp({
      'manage.py': MANAGE('harbour.settings'),
      [`${SITE_PACKAGES}/harbour/__init__.py`]: '',
      [`${SITE_PACKAGES}/harbour/settings.py`]: 'SITE_ID = 2\n',
    });
    const location = await locateSettings(root, null);
    assert.equal(location.file, path.join(root, SITE_PACKAGES, 'harbour', 'settings.py'));
    assert.deepEqual(valuesOf(await readSettings(root, ['SITE_ID'], location)), { SITE_ID: 2 });
  });

  it('searches the folders manage.py inserts before the project folder, first hit winning', async () => {
    const root = temp({
      'manage.py': `import os, sys\nBASE_DIR = os.path.dirname(__file__)\nsys.path.insert(0, os.path.join(BASE_DIR, "apps"))\n${MANAGE('site.settings')}`,
      'site/settings.py': 'WHICH = "root"\n',
      'apps/site/settings.py': 'WHICH = "apps"\n',
    });
    const location = await locateSettings(root, null);
    assert.deepEqual(location.searchPath.slice(0, 2), [path.join(root, 'apps'), root]);
    assert.equal(location.file, path.join(root, 'apps', 'site', 'settings.py'));
    assert.deepEqual(valuesOf(await readSettings(root, ['WHICH'], location)), { WHICH: 'apps' });
  });

  it('follows a setuptools editable finder in venv/ to the package folder', async () => {
    const root = temp({
      'manage.py': MANAGE('shop.settings'),
      'code/shop/__init__.py': '',
      'code/shop/settings.py': 'X = 2\n',
      'code/shop/settings_local.py': 'from .settings import *\n',
    });
    const finder = `MAPPING: dict[str, str] = {'shop': '${path.join(root, 'code', 'shop')}'}\n`;
    mkdirSync(path.join(root, 'venv/lib/python3.11/site-packages'), { recursive: true });
    writeFileSync(path.join(root, 'venv/lib/python3.11/site-packages/__editable___shop_1_0_finder.py'), finder);
    const location = await locateSettings(root, null);
    assert.equal(location.file, path.join(root, 'code', 'shop', 'settings.py'));
    assert.deepEqual(location.others, ['shop.settings_local']);
  });

  it('reads the .pth files of the interpreter’s own environment outside the project (Poetry, uv, conda)', async () => {
    const root = temp({ 'manage.py': MANAGE('ledger.settings'), 'packages/ledger/__init__.py': '', 'packages/ledger/settings.py': 'X = 1\n' });
    const env = temp({ 'pyvenv.cfg': 'home = /usr/bin\n', 'bin/python': '', 'lib/python3.11/site-packages/ledger.pth': '' });
    writeFileSync(path.join(env, 'lib/python3.11/site-packages/ledger.pth'), `${path.join(root, 'packages')}\n`);
    const system = temp({ 'bin/python3': '' });
    assert.equal(await environmentOf(path.join(env, 'bin', 'python')), env);
    assert.equal(await environmentOf(path.join(system, 'bin', 'python3')), null, 'no pyvenv.cfg, no conda-meta: not an environment');
    assert.equal((await locateSettings(root, null)).file, null, 'only that environment puts packages/ on the path');
    const location = await locateSettings(root, null, [env, env]);
    assert.equal(location.file, path.join(root, 'packages', 'ledger', 'settings.py'));
    assert.equal(location.searchPath.filter((f) => f === path.join(root, 'packages')).length, 1, 'each folder once');
  });

  it('takes the first that names it: the choice, multisite.json, .env-local, .env, manage.py, then pytest config', async () => {
    const files: Record<string, string> = {
      'pytest.ini': '[pytest]\nDJANGO_SETTINGS_MODULE = p.pytest\n',
      'setup.cfg': '[tool:pytest]\nDJANGO_SETTINGS_MODULE = p.setupcfg\n',
      'pyproject.toml': '[tool.pytest.ini_options]\nDJANGO_SETTINGS_MODULE = "p.pyproject"\n',
      'manage.py': MANAGE('p.manage'),
      '.env': 'DEBUG=1\nDJANGO_SETTINGS_MODULE=p.env\n',
      '.env-local': 'DJANGO_SETTINGS_MODULE=p.envlocal\n',
      'multisite.json': '{\n  "settings": "p.json"\n}\n',
    };
    const root = temp(files);
    const seen: (string | null)[] = [];
    const chosen = await locateSettings(root, { module: 'p.chosen', from: '--settings' });
    seen.push(`${chosen.from}${chosen.chosen ? ' (chosen)' : ''}`);
    for (const name of ['multisite.json', '.env-local', '.env', 'manage.py', 'pyproject.toml', 'pytest.ini', 'setup.cfg']) {
      const location = await locateSettings(root, null);
      seen.push(`${location.module} ${location.from}${location.passed ? '' : ' (manage.py decides)'}${location.chosen ? ' (chosen)' : ''}`);
      rmSync(path.join(root, name));
    }
    assert.deepEqual(seen, [
      '--settings (chosen)',
      'p.json multisite.json:2 (chosen)',
      'p.envlocal .env-local:1',
      'p.env .env:2',
      'p.manage manage.py:5',
      'p.pyproject pyproject.toml:2 (manage.py decides)',
      'p.pytest pytest.ini:2 (manage.py decides)',
      'p.setupcfg setup.cfg:2 (manage.py decides)',
    ]);
    const none = await locateSettings(root, null);
    assert.equal(none.module, null);
    assert.match(settingsNotFound(root, none).message, /No settings module is named/);
  });

  it('says where it looked when the module named is in none of the folders', async () => {
    const root = temp({ 'manage.py': MANAGE('gone.settings'), 'src/other/__init__.py': '' });
    const location = await locateSettings(root, null);
    assert.equal(location.file, null);
    const missing = settingsNotFound(root, location);
    assert.equal(missing.file, path.join(root, 'manage.py'));
    assert.equal(missing.line, 5);
    assert.match(missing.message, /gone\.settings \(DJANGO_SETTINGS_MODULE, from manage\.py:5\) is in none of the folders Python searches here \(\., src\)/);
  });

  it('reads the chosen module, not manage.py’s, and says which in the sites result', async () => {
    const root = temp({
      'manage.py': MANAGE('config.settings.local'),
      'config/__init__.py': '',
      'config/settings/__init__.py': '',
      'config/settings/base.py': 'import os\nSITE_ID = int(os.environ.get("SITE_ID", "1"))\n',
      'config/settings/local.py': 'from .base import *\n',
      'config/settings/test.py': 'from .base import *\nSITE_ID = 1\n',
    });
    const local = await readSiteConfig(root);
    assert.equal(local.forcedSiteId, null);
    assert.deepEqual(local.settings, {
      module: 'config.settings.local',
      from: 'manage.py:5',
      file: path.join(root, 'config', 'settings', 'local.py'),
      others: ['config.settings.base', 'config.settings.test'],
    });
    const chosen = await locateSettings(root, { module: 'config.settings.test', from: '--settings' });
    const test = await readSiteConfig(root, { django: null, settings: chosen });
    assert.deepEqual(test.forcedSiteId, { value: 1, file: path.join(root, 'config', 'settings', 'test.py'), line: 2 });
    assert.equal(test.settings.from, '--settings');
    assert.ok(test.watchFiles.includes(path.join(root, 'pyproject.toml')), 'a file that may name the module is watched');
  });

  it('says when Django ran with another module than the one passed (manage.py assigns it instead of setdefault)', async () => {
    const root = temp({
      'manage.py': 'import os\nos.environ["DJANGO_SETTINGS_MODULE"] = "proj.settings"\n',
      'proj/settings.py': '',
      'proj/settings_dev.py': '',
    });
    const chosen = await locateSettings(root, { module: 'proj.settings_dev', from: '--settings' });
    assert.equal(settingsOverridden(chosen, 'proj.settings_dev'), null);
    assert.equal(settingsOverridden(chosen, null), null, 'Django not asked: nothing to compare');
    assert.match(
      settingsOverridden(chosen, 'proj.settings') ?? '',
      /^Django ran with settings "proj\.settings", not "proj\.settings_dev" \(from --settings\): manage\.py sets DJANGO_SETTINGS_MODULE itself/,
    );
  });

  it('reports a bad "settings" in multisite.json on its line and falls back to manage.py', async () => {
    const root = temp({ 'manage.py': MANAGE('proj.settings'), 'proj/settings.py': 'X = 1\n', 'multisite.json': '{\n  "settings": "proj/settings.py"\n}\n' });
    const config = await readSiteConfig(root);
    assert.equal(config.settings.module, 'proj.settings');
    const problem = config.diagnostics.find((d) => d.file === path.join(root, 'multisite.json'));
    assert.equal(problem?.severity, 'error');
    assert.equal(problem?.line, 2);
    assert.match(problem?.message ?? '', /"settings" in multisite\.json must be a dotted settings module/);
  });
});
