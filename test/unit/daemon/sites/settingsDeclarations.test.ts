/** Where the settings module is named, read from each kind of file's text (issue 23). */
import * as assert from 'node:assert/strict';
import { isModuleName } from '../../../../protocol/settingsModuleName';
import {
  dotenvSettingsModule,
  editableFinderFolders,
  iniSettingsModule,
  managePathEntries,
  manageSettingsModule,
  pthFolders,
  pyprojectSettingsModule,
} from '../../../../daemon/sites/settingsDeclarations';

describe('settings module declarations', () => {
  it('reads manage.py as Django writes it, and a forced assignment, never a comment', () => {
    const template = [
      '#!/usr/bin/env python',
      '"""Django\'s command-line utility."""',
      'import os',
      '',
      'def main():',
      "    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')",
    ].join('\n');
    assert.deepEqual(manageSettingsModule(template), { module: 'mysite.settings', line: 6 });
    assert.deepEqual(manageSettingsModule('import os\nos.environ["DJANGO_SETTINGS_MODULE"] = "a.b"\n'), { module: 'a.b', line: 2 });
    assert.deepEqual(
      manageSettingsModule(
        '# os.environ.setdefault("DJANGO_SETTINGS_MODULE", "old.settings")\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "new.settings")\n',
      ),
      { module: 'new.settings', line: 2 },
    );
    // Computed at run time: nothing to read here (asking Django still finds it).
    assert.equal(manageSettingsModule('os.environ.setdefault("DJANGO_SETTINGS_MODULE", f"{NAME}.settings")\n'), null);
  });

  it('reads a dotenv file: quotes, export, comments; the last line wins', () => {
    const text = '# local\nDJANGO_SETTINGS_MODULE=one.settings\nexport DJANGO_SETTINGS_MODULE="two.settings.dev" # mine\nOTHER=1\n';
    assert.deepEqual(dotenvSettingsModule(text), { module: 'two.settings.dev', line: 3 });
    assert.equal(dotenvSettingsModule('# DJANGO_SETTINGS_MODULE=x\n'), null);
    assert.equal(dotenvSettingsModule('DJANGO_SETTINGS_MODULE=../etc/passwd\n'), null);
  });

  it('reads pytest-django in pyproject.toml: the key, else --ds in addopts (a string or a list)', () => {
    const key = '[project]\nname = "x"\n\n[tool.pytest.ini_options]\naddopts = "--ds=other.settings"\nDJANGO_SETTINGS_MODULE = "proj.settings.test"\n';
    assert.deepEqual(pyprojectSettingsModule(key), { module: 'proj.settings.test', line: 6 });
    // cookiecutter-django's shape.
    const cookiecutter = '[tool.pytest.ini_options]\nminversion = "6.0"\naddopts = "--ds=config.settings.test --reuse-db --import-mode=importlib"\n';
    assert.deepEqual(pyprojectSettingsModule(cookiecutter), { module: 'config.settings.test', line: 3 });
    const list = '[tool.pytest.ini_options]\naddopts = [\n  "--reuse-db",\n  "--ds", "site.settings",\n]\n';
    assert.deepEqual(pyprojectSettingsModule(list), { module: 'site.settings', line: 4 });
    assert.deepEqual(pyprojectSettingsModule('[tool.django-stubs]\ndjango_settings_module = "a.settings"\n'), { module: 'a.settings', line: 2 });
    // Another section's key names nothing.
    assert.equal(pyprojectSettingsModule('[tool.other]\nDJANGO_SETTINGS_MODULE = "no.settings"\n'), null);
  });

  it('reads pytest.ini, setup.cfg and tox.ini sections', () => {
    assert.deepEqual(iniSettingsModule('[pytest]\nDJANGO_SETTINGS_MODULE = proj.settings_test\n', ['pytest']), { module: 'proj.settings_test', line: 2 });
    assert.deepEqual(iniSettingsModule('[metadata]\nname = x\n\n[tool:pytest]\naddopts =\n    --reuse-db\n    --ds=proj.settings\n', ['tool:pytest']), {
      module: 'proj.settings',
      line: 7,
    });
    assert.equal(iniSettingsModule('[flake8]\nDJANGO_SETTINGS_MODULE = no\n', ['pytest']), null);
  });

  it('finds the folders manage.py puts on sys.path, in the shapes real projects write', () => {
    const text = [
      'BASE_DIR = os.path.dirname(os.path.abspath(__file__))',
      'sys.path.insert(0, os.path.join(BASE_DIR, "src"))',
      'current_path = Path(__file__).parent.resolve()',
      'sys.path.append(str(current_path / "my_awesome_project"))',
      "sys.path.insert(0, os.path.join(settings.PROJECT_ROOT, 'src', 'apps'))",
      'sys.path.append(computed)',
      'sys.path.insert(0, os.path.join(BASE_DIR, "..", "shared"))',
    ].join('\n');
    assert.deepEqual(managePathEntries(text), [
      { relative: 'src', first: true },
      { relative: 'my_awesome_project', first: false },
      { relative: 'src/apps', first: true },
    ]);
  });

  it('reads .pth files and setuptools editable finders as site does', () => {
    assert.deepEqual(pthFolders('# a comment\n/home/me/proj/src\n\nimport _virtualenv\n../../relative\n'), ['/home/me/proj/src', '../../relative']);
    const finder = "import sys\nMAPPING: dict[str, str] = {'shop': '/home/me/shop/src/shop'}\nNAMESPACES = {}\n";
    assert.deepEqual(editableFinderFolders(finder), [{ name: 'shop', folder: '/home/me/shop/src/shop' }]);
  });

  it('accepts dotted module names only', () => {
    for (const good of ['settings', 'my_site.settings.local', '_x.y2']) assert.ok(isModuleName(good), good);
    for (const bad of ['', 'a..b', '.a', 'a.', 'a b', 'a/b', '1a', 'a;rm', '$(x)']) assert.ok(!isModuleName(bad), bad);
  });
});
