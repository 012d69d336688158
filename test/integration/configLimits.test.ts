/**
 * Config files too large or nested too deep to read (issue 21), through the
 * real CLI and a real daemon: a multisite.json nested 100,000 levels deep used
 * to answer "The daemon failed unexpectedly: Maximum call stack size exceeded"
 * (4004). Every kind of file the daemon reads (multisite.json, env files, the
 * compose file and its env_file, settings modules) is made absurdly deep and
 * absurdly large in a copy of the demo, and must be a config error (4010)
 * naming the file and the limit, while the other sources are still read (the
 * demo's three sites in settings.py) and the same daemon answers the next
 * request.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { DaemonErrorCode } from '../../protocol/protocol';
import type { SitesResult } from '../../protocol/protocol';
import type { CliResult } from '../support/cli';
import { addFigure } from '../support/figures';
import { tempFolder } from '../support/tempProject';
import { useSandbox } from '../support/useSandbox';

const DEEP = 100_000;
const deepJson = (levels: number): string => '['.repeat(levels) + ']'.repeat(levels);
/** Over every limit: 2 MB for most config files, 128 KB for a compose file. */
const HUGE = 'x'.repeat(3 << 20);

interface Case {
  name: string;
  make: (root: string) => void;
  /** The file the sentence names, relative to the project, with its line when there is one. */
  place: string;
  says: RegExp;
}

const write = (root: string, file: string, text: string): void => writeFileSync(path.join(root, file), text);
const COMPOSE = 'services:\n  web:\n    build: .\n';
/** settings.py star-imports demo/extra.py, the file made unreadable: settings.py itself, and its sites, stay readable. */
const extraSettings = (root: string, text: string): void => {
  appendFileSync(path.join(root, 'demo', 'settings.py'), '\nfrom .extra import *\n');
  write(root, 'demo/extra.py', text);
};

const CASES: Case[] = [
  {
    name: 'multisite.json nested 100,000 levels deep',
    make: (root) => write(root, 'multisite.json', `{\n  "sites": ${deepJson(DEEP)}\n}\n`),
    place: 'multisite.json:2',
    says: /^multisite\.json was not read: its values nest more than 64 levels deep on line 2, the most a config file may\.$/,
  },
  {
    name: 'multisite.json of 3 MB',
    make: (root) => write(root, 'multisite.json', `{"port": 8123, "x": "${HUGE}"}`),
    place: 'multisite.json',
    says: /^multisite\.json was not read: it is larger than 2 MB, the most a config file may be\.$/,
  },
  {
    name: 'multisite.json that is a named pipe',
    make: (root) => execFileSync('mkfifo', [path.join(root, 'multisite.json')]),
    place: 'multisite.json',
    says: /^multisite\.json was not read: it is not a regular file but a pipe, socket or device\.$/,
  },
  {
    name: 'the sites JSON in .env-local nested 100,000 levels deep',
    make: (root) => write(root, '.env-local', `DJANGO_MULTISITE_PLUS_SITES=${deepJson(DEEP)}\n`),
    place: '.env-local:1',
    says: /^DJANGO_MULTISITE_PLUS_SITES in \.env-local:1 was not read: its values nest more than 64 levels deep, the most a config file may\.$/,
  },
  {
    name: '.env of 3 MB',
    make: (root) => write(root, '.env', `A=${HUGE}\n`),
    place: '.env',
    says: /^\.env was not read: it is larger than 2 MB, the most a config file may be\.$/,
  },
  {
    name: 'docker-compose.yml nested 30,000 levels deep',
    make: (root) => write(root, 'docker-compose.yml', `${COMPOSE}    environment: ${deepJson(30_000)}\n`),
    place: 'docker-compose.yml:4',
    says: /^docker-compose\.yml was not read: its values nest more than 64 levels deep on line 4, the most a config file may\.$/,
  },
  {
    name: 'docker-compose.yml of 3 MB',
    make: (root) => write(root, 'docker-compose.yml', `${COMPOSE}# ${HUGE}\n`),
    place: 'docker-compose.yml',
    says: /^docker-compose\.yml was not read: it is larger than 128 KB, the most a compose file may be\.$/,
  },
  {
    name: "the compose web service's env_file of 3 MB",
    make: (root) => {
      write(root, 'docker-compose.yml', `${COMPOSE}    env_file: web.env\n`);
      write(root, 'web.env', `A=${HUGE}\n`);
    },
    place: 'web.env',
    says: /^web\.env was not read: it is larger than 2 MB, the most a config file may be\.$/,
  },
  {
    name: 'a settings module with a value nested 100,000 levels deep',
    make: (root) => extraSettings(root, `EXTRA = 1\nNESTED = ${deepJson(DEEP)}\n`),
    place: 'demo/extra.py:2',
    says: /^demo\/extra\.py is not valid Python \(too many nested parentheses\), so no setting in it was read\.$/,
  },
  {
    name: 'a settings module of 3 MB',
    make: (root) => extraSettings(root, `EXTRA = 1\n# ${HUGE}\n`),
    place: 'demo/extra.py',
    says: /^demo\/extra\.py could not be read: it is larger than 2 MB, the most a config file may be\.$/,
  },
];

describe('config files too large or nested too deep (issue 21; real CLI, real daemon)', function () {
  const sandbox = useSandbox({ requires: ['django'] });
  const made: string[] = [];
  let daemon: number | null = null;
  let tried = 0;
  before(async () => {
    assert.equal((await sandbox().cli(['daemon', 'start'])).code, 0);
    daemon = sandbox().daemonPid();
  });
  after(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
    addFigure('bad inputs tried', tried);
  });

  /** A fresh copy of the set-up demo (its venv linked) named `proj`, changed by `make`. */
  function project(make: (root: string) => void): string {
    const parent = tempFolder('limits');
    made.push(parent);
    const root = path.join(parent, 'proj');
    cpSync(sandbox().demo, root, { recursive: true, filter: (src) => !/(\.venv|__pycache__)$/.test(src) });
    symlinkSync(path.join(sandbox().demo, '.venv'), path.join(root, '.venv'));
    make(root);
    return root;
  }

  for (const c of CASES) {
    it(`${c.name}: a config error naming it, the other sources read, the daemon unaffected`, async function () {
      this.timeout(60_000);
      const root = project(c.make);
      tried++;
      const cli = (args: string[]): Promise<CliResult> => sandbox().cli([...args, '--project', root], root);

      const listed = await cli(['sites', '--json']);
      assert.equal(listed.code, 1, listed.stdout + listed.stderr);
      const result = JSON.parse(listed.stdout) as SitesResult;
      const errors = result.diagnostics.filter((d) => d.severity === 'error');
      assert.deepEqual(
        errors.map((d) => `${path.relative(root, d.file ?? '')}${d.line ? `:${d.line}` : ''}`),
        [c.place],
        JSON.stringify(result.diagnostics),
      );
      assert.match(errors[0].message, c.says);
      assert.deepEqual(
        result.sites.map((s) => s.slug),
        ['alpha', 'beta', 'gamma'],
        'the sites settings.py declares are still read',
      );
      const text = await cli(['sites']);
      assert.equal(text.code, 1);
      assert.match(text.stderr, new RegExp(`^${c.place.replace(/\./g, '\\.')}: error: `, 'm'));

      const switched = await cli(['switch', 'alpha', '--json']);
      assert.equal(switched.code, 1, switched.stdout + switched.stderr);
      const { error } = JSON.parse(switched.stdout) as { error: { code: number; message: string } };
      assert.equal(error.code, DaemonErrorCode.ConfigInvalid, error.message);
      assert.ok(error.message.startsWith(`proj cannot be served until ${c.place} is fixed: `), error.message);
      assert.match(error.message.slice(error.message.indexOf(' is fixed: ') + ' is fixed: '.length), c.says);

      const status = await sandbox().cli(['status']);
      assert.equal(status.code, 0, status.stderr);
      assert.equal(sandbox().daemonPid(), daemon, 'the same daemon answers');
    });
  }
});
