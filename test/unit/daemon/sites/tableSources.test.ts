import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { tableSources } from '../../../../daemon/sites/tableSources';
import { tempFolder } from '../../../support/tempProject';

describe('tableSources', () => {
  let root: string;

  beforeEach(() => {
    root = tempFolder('table-sources');
  });

  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it("finds the SQLite files the settings name, db.sqlite3 by default, and the apps' migrations folders", async () => {
    const settings = path.join(root, 'proj', 'settings.py');
    mkdirSync(path.dirname(settings), { recursive: true });
    writeFileSync(
      settings,
      `DATABASES = {"default": {"NAME": BASE_DIR / "data.sqlite3"}, "other": {"NAME": os.path.join(BASE_DIR, 'var/other.db')}}\nSECRET_KEY = "x.py"\n`,
    );
    for (const folder of ['shop/migrations', 'proj/apps/blog/migrations', '.venv/lib/migrations', 'node_modules/x/migrations'])
      mkdirSync(path.join(root, folder), { recursive: true });
    const found = await tableSources(root, [settings]);
    assert.deepEqual(found.files.sort(), [path.join(root, 'data.sqlite3'), path.join(root, 'db.sqlite3'), path.join(root, 'var', 'other.db')].sort());
    assert.deepEqual(found.folders.sort(), [path.join(root, 'proj', 'apps', 'blog', 'migrations'), path.join(root, 'shop', 'migrations')].sort());
  });

  it('keeps an absolute database path as written', async () => {
    const settings = path.join(root, 'settings.py');
    writeFileSync(settings, 'DATABASES = {"default": {"NAME": "/srv/db/site.sqlite3"}}\n');
    assert.ok((await tableSources(root, [settings])).files.includes('/srv/db/site.sqlite3'));
  });
});
