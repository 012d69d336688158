/**
 * Config files too large or nested too deep to read (issue 21): each reader
 * refuses them in one sentence naming the file and the limit, as an error at
 * that file, and never overflows its stack, hangs on a pipe or reads without
 * end. Real files in temp folders; the whole path through the daemon and the
 * CLI is in test/integration/configLimits.test.ts.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { parseComposeYaml } from '../../../../daemon/compose/composeYaml';
import { CONFIG_MAX_BYTES, ConfigFileRefused, MAX_NESTING, readConfigText } from '../../../../daemon/base/configFile';
import { DaemonErrorCode } from '../../../../protocol/protocol';
import { readEnvSources } from '../../../../daemon/sites/envSources';
import { readMultisiteJson } from '../../../../daemon/sites/multisiteJson';
import { readSettings } from '../../../../daemon/sites/settingsModule';
import { useTempProjects } from '../../../support/tempProject';

const DEEP = 100_000;
const deepJson = (levels: number): string => '['.repeat(levels) + ']'.repeat(levels);
const posix = process.platform !== 'win32';

/** What `run` throws, which must be a ConfigFileRefused. */
async function refusal(run: () => unknown): Promise<ConfigFileRefused> {
  try {
    await run();
  } catch (error) {
    assert.ok(error instanceof ConfigFileRefused, String(error));
    assert.equal(error.code, DaemonErrorCode.ConfigInvalid);
    return error;
  }
  assert.fail('not refused');
}

describe('config files are read within bounds (issue 21)', () => {
  const temp = useTempProjects('limits');

  describe('readConfigText', () => {
    it('reads a file up to the limit, and nothing for one that is missing or a folder', async () => {
      const root = temp({ 'a.txt': 'x'.repeat(CONFIG_MAX_BYTES), 'b.txt': 'é\n' });
      mkdirSync(path.join(root, 'folder'));
      assert.equal((await readConfigText(path.join(root, 'a.txt')))?.length, CONFIG_MAX_BYTES);
      assert.equal(await readConfigText(path.join(root, 'b.txt')), 'é\n');
      assert.equal(await readConfigText(path.join(root, 'missing')), null);
      assert.equal(await readConfigText(path.join(root, 'folder')), null);
    });

    it('refuses a file one byte over the limit, naming it and the limit', async () => {
      const root = temp({ '.env': 'x'.repeat(CONFIG_MAX_BYTES + 1) });
      const error = await refusal(() => readConfigText(path.join(root, '.env')));
      assert.equal(error.message, '.env was not read: it is larger than 2 MB, the most a config file may be.');
    });

    it('refuses a named pipe at once instead of waiting for a writer, and a link to /dev/zero instead of reading without end', async function () {
      if (!posix) this.skip();
      const root = temp({});
      execFileSync('mkfifo', [path.join(root, 'multisite.json')]);
      symlinkSync('/dev/zero', path.join(root, '.env'));
      for (const name of ['multisite.json', '.env']) {
        const error = await refusal(() => readConfigText(path.join(root, name)));
        assert.equal(error.message, `${name} was not read: it is not a regular file but a pipe, socket or device.`);
      }
    });
  });

  describe('multisite.json', () => {
    it(`reads ${MAX_NESTING} levels, and refuses one more on its line instead of overflowing the stack`, async () => {
      const ok = temp({ 'multisite.json': `{"sharedDatabase": ${deepJson(MAX_NESTING - 1)}}` });
      assert.deepEqual((await readMultisiteJson(ok))?.problems, [
        { line: 1, message: '"sharedDatabase" in multisite.json must be a list of project folders', severity: 'error' },
      ]);
      const deep = temp({ 'multisite.json': `{\n  "port": 8123,\n  "sites": ${deepJson(DEEP)}\n}\n` });
      const file = await readMultisiteJson(deep);
      assert.deepEqual(file?.problems, [
        { line: 3, message: 'multisite.json was not read: its values nest more than 64 levels deep on line 3, the most a config file may.', severity: 'error' },
      ]);
      assert.equal(file.port, null, 'nothing of it is read');
    });

    it('does not count brackets in strings and comments', async () => {
      const root = temp({ 'multisite.json': `// ${'['.repeat(100)}\n{"port": 8123, "x": "${'{'.repeat(100)}"}` });
      const file = await readMultisiteJson(root);
      assert.equal(file?.port, 8123);
      assert.deepEqual(file.problems, [{ line: 2, message: 'unknown key "x" in multisite.json', severity: 'warning' }]);
    });

    it('refuses a file over the limit as an error with no line', async () => {
      const root = temp({ 'multisite.json': `{"port": 8123, "x": "${'x'.repeat(CONFIG_MAX_BYTES)}"}` });
      assert.deepEqual((await readMultisiteJson(root))?.problems, [
        { line: null, message: 'multisite.json was not read: it is larger than 2 MB, the most a config file may be.', severity: 'error' },
      ]);
    });
  });

  describe('the compose file', () => {
    const compose = (environment: string): string => `services:\n  web:\n    image: x\n    environment: ${environment}\n`;

    it(`reads ${MAX_NESTING} levels of flow or block collections, with brackets in scalars not counted`, () => {
      assert.equal(parseComposeYaml(compose(deepJson(MAX_NESTING - 3)), 'docker-compose.yml').errors.length, 0);
      let block = 'a:\n';
      for (let level = 1; level < MAX_NESTING; level++) block += `${'  '.repeat(level)}b${level}:\n`;
      assert.equal(parseComposeYaml(block, 'docker-compose.yml').errors.length, 0);
      const scalars = `${compose(`["${'['.repeat(200)}", '${'{'.repeat(200)}']`)}    command: a${'['.repeat(200)}\n    # ${'{'.repeat(200)}\n`;
      assert.equal(parseComposeYaml(scalars, 'docker-compose.yml').errors.length, 0);
    });

    for (const [shape, text, line] of [
      // Within the size limit: 30,000 levels.
      ['flow collections', compose(deepJson(30_000)), 4],
      ['flow mappings', compose(`${'{a: '.repeat(20_000)}1${'}'.repeat(20_000)}`), 4],
      ['block mappings', Array.from({ length: 200 }, (_, level) => `${'  '.repeat(level)}k${level}:`).join('\n'), 65],
      ['compact sequences', `${'- '.repeat(30_000)}x\n`, 1],
    ] as const) {
      it(`refuses ${shape} nested deeper, on the line where the limit is crossed`, async () => {
        const started = Date.now();
        const error = await refusal(() => parseComposeYaml(text, '/p/docker-compose.yml'));
        assert.equal(error.message, `docker-compose.yml was not read: its values nest more than 64 levels deep on line ${line}, the most a config file may.`);
        assert.equal(error.line, line);
        assert.ok(Date.now() - started < 2000, `${Date.now() - started} ms`);
      });
    }

    it('refuses a file over its limit, read or given as text', async () => {
      const text = `services:\n  web:\n    image: x\n# ${'x'.repeat(128 << 10)}\n`;
      const root = temp({ 'docker-compose.yml': text });
      const sentence = 'docker-compose.yml was not read: it is larger than 128 KB, the most a compose file may be.';
      assert.equal((await refusal(() => parseComposeYaml(text, 'docker-compose.yml'))).message, sentence);
      const env = await readEnvSources(root);
      assert.deepEqual(env.problems, [{ file: path.join(root, 'docker-compose.yml'), line: null, message: sentence, severity: 'error' }]);
      assert.ok(env.files.includes(path.join(root, 'docker-compose.yml')), 'watched, so a fix is read');
    });
  });

  describe('env files and settings', () => {
    it('refuses a .env over the limit as an error at it, and still reads .env-local and the compose file', async () => {
      const root = temp({
        '.env': `A=${'x'.repeat(CONFIG_MAX_BYTES)}\n`,
        '.env-local': 'B=2\n',
        'docker-compose.yml': 'services:\n  web:\n    env_file: web.env\n    environment:\n      C: 3\n',
        'web.env': `D=${'x'.repeat(CONFIG_MAX_BYTES)}\n`,
      });
      const env = await readEnvSources(root);
      assert.deepEqual(
        env.problems.map((p) => [path.basename(p.file), p.severity, p.message]),
        [
          ['.env', 'error', '.env was not read: it is larger than 2 MB, the most a config file may be.'],
          ['web.env', 'error', 'web.env was not read: it is larger than 2 MB, the most a config file may be.'],
        ],
      );
      assert.deepEqual([...env.vars.keys()].sort(), ['B', 'C']);
    });

    it('refuses a settings module over the limit as an error at it, and still reads the modules it does not need', async () => {
      const root = temp({
        'manage.py': 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
        'proj/settings/__init__.py': 'from .base import *\nfrom .local import *\nSITE_ID = 2\n',
        'proj/settings/base.py': `X = 1\n# ${'x'.repeat(CONFIG_MAX_BYTES)}\n`,
        'proj/settings/local.py': 'Y = 3\n',
      });
      const read = await readSettings(root, ['SITE_ID', 'X', 'Y']);
      const base = path.join(root, 'proj/settings/base.py');
      assert.deepEqual(read.errors, [{ file: base, line: null, message: 'it is larger than 2 MB, the most a config file may be', invalidPython: false }]);
      assert.ok(read.files.includes(base), 'watched, so a fix is read');
      assert.deepEqual([...read.values.keys()].sort(), ['SITE_ID', 'Y']);
    });

    it('refuses a setting nested deeper than Python allows, as Python does, on its line', async () => {
      const root = temp({
        'manage.py': 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")\n',
        'settings.py': `SITE_ID = 2\nX = ${deepJson(DEEP)}\n`,
      });
      const read = await readSettings(root, ['SITE_ID']);
      assert.deepEqual(read.errors, [{ file: path.join(root, 'settings.py'), line: 2, message: 'too many nested parentheses', invalidPython: true }]);
    });
  });
});
