/**
 * The versions of the multi-site frameworks in Django's answer (issue 22),
 * with real Python and Django: read from each distribution's metadata along
 * sys.path, as importlib.metadata finds it (a wheel's .dist-info, a Debian
 * package's .egg-info folder, an old setuptools' .egg-info file; names in any
 * case and spelling), without importing importlib.metadata: that import and
 * its lookup took longer than the rest of the read (bench figure 7). The
 * project's manage.py makes that import fail, so a read that still needs it
 * fails here.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { askDjango } from '../../../../daemon/sites/askDjango';
import { requireComponents } from '../../../support/components';
import { projectCodeIn } from '../../../support/projectCode';
import { tempFolder } from '../../../support/tempProject';

/** Files of a project whose frameworks (empty apps under `vendor/`) carry only their metadata. */
const PROJECT: Record<string, string> = {
  'manage.py': [
    'import os, sys',
    'sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "vendor"))',
    'sys.modules["importlib.metadata"] = None  # any import of it now fails',
    'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")',
    'from django.core.management import execute_from_command_line',
    'execute_from_command_line(sys.argv)',
  ].join('\n'),
  'proj/__init__.py': '',
  'proj/settings.py': [
    'SECRET_KEY = "x"',
    'INSTALLED_APPS = ["multisite", "django_multisite_plus", "wagtail"]',
    'DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}',
  ].join('\n'),
  'vendor/multisite/__init__.py': '',
  'vendor/django_multisite-1.9.0.dist-info/METADATA':
    'Metadata-Version: 2.1\nName: django-multisite\nVersion: 1.9.0\n\nVersion: 0.0.0 (the body, not a header)\n',
  'vendor/django_multisite_plus/__init__.py': '',
  'vendor/django_multisite_plus-0.7.2.egg-info': 'Metadata-Version: 1.2\nName: django-multisite-plus\nVersion: 0.7.2\n',
  'vendor/wagtail/__init__.py': '',
  'vendor/Wagtail-5.2.8.egg-info/PKG-INFO': 'Metadata-Version: 1.2\nName: Wagtail\nversion: 5.2.8\n',
};

describe('asking Django which framework versions are installed', function () {
  this.timeout(60_000);
  let root: string;
  beforeEach(() => (root = tempFolder('ask-django-versions')));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('reads .dist-info and .egg-info metadata along sys.path, without importlib.metadata', async function () {
    requireComponents(this, 'django');
    for (const [file, content] of Object.entries(PROJECT)) {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), content);
    }
    const read = await askDjango(projectCodeIn(root), root, '/usr/bin/python3');
    assert.ok(read.ok, read.ok ? '' : read.reason);
    assert.deepEqual(read.facts.frameworks, [
      { name: 'django-multisite', version: '1.9.0' },
      { name: 'django-multisite-plus', version: '0.7.2' },
      { name: 'wagtail', version: '5.2.8' },
    ]);
  });
});
