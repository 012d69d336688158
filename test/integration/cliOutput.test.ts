/**
 * What the CLI prints, read through a pipe as scripts read it: large output
 * arrives whole (it was cut at 64 KiB when the process exited before stdout
 * drained), errors are JSON with --json and keep their exit code, and bad
 * --port values are refused before anything starts.
 */
import * as assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import type { HostsEdit, SitesResult } from '../../protocol/protocol';
import { DaemonErrorCode } from '../../protocol/protocol';
import { tempProject } from '../support/tempProject';
import { useSandbox } from '../support/useSandbox';

const SITES = 1500;
const LONG_LABELS = 'with-a-rather-long-domain-name.to-make-the-output-large.of-a-project-with-very-many-sites';
const domainOf = (i: number, alias = ''): string => `${alias}site-${String(i).padStart(4, '0')}-${LONG_LABELS}.example`;
const ALIASES = ['www.', 'shop.', 'blog.'];

/** A project declaring SITES sites in its settings (read statically: no Django needed). */
function generateProject(): string {
  const sites = Array.from(
    { length: SITES },
    (_, i) =>
      `    "site${i}": {"id": ${i + 1}, "real_domain": "${domainOf(i)}", "name": "Site number ${i} of a project with very many sites", "aliases": ${JSON.stringify(ALIASES.map((alias) => domainOf(i, alias)))}},`,
  );
  return tempProject(
    {
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "many.settings")\n',
      'many/__init__.py': '',
      'many/settings.py': `DJANGO_MULTISITE_PLUS_SITES = {\n${sites.join('\n')}\n}\n`,
    },
    'many-sites',
  );
}

describe('the CLI through a pipe', function () {
  let source: string;
  before(() => (source = generateProject()));
  after(() => rmSync(source, { recursive: true, force: true }));
  const sandbox = useSandbox(() => ({ project: { source, setup: false } }));

  it('prints all of a 1 MB `sites --json`', async () => {
    const result = await sandbox().cli(['sites', '--json']);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(result.stdout.length > 1_000_000, `${result.stdout.length} bytes`);
    const parsed = JSON.parse(result.stdout) as SitesResult;
    assert.equal(parsed.sites.length, SITES);
    console.log(`      sites --json: ${result.stdout.length} bytes`);
  });

  it('prints all of a 1 MB --dry-run diff', async () => {
    const result = await sandbox().cli(['hosts', 'apply', '--dry-run']);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(result.stdout.length > 1_000_000, `${result.stdout.length} bytes`);
    const added = result.stdout.split('\n').filter((line) => line.startsWith('+127.0.0.1\t'));
    assert.equal(added.length, SITES * (1 + ALIASES.length));
    assert.equal(added.at(-1), `+127.0.0.1\t${domainOf(SITES - 1, ALIASES.at(-1))}`);
    const json = JSON.parse((await sandbox().cli(['hosts', 'apply', '--dry-run', '--json'])).stdout) as HostsEdit;
    assert.equal(json.diff.split('\n').filter((line) => line.startsWith('+127.0.0.1')).length, SITES * (1 + ALIASES.length));
    console.log(`      hosts apply --dry-run: ${result.stdout.length} bytes`);
  });

  it('reports failures as JSON on stdout with --json, keeping the exit code', async () => {
    const missing = await sandbox().cli(['switch', 'no-such-site', '--json']);
    assert.equal(missing.code, 1);
    const { error } = JSON.parse(missing.stdout) as { error: { code: number; message: string } };
    assert.equal(error.code, DaemonErrorCode.SiteNotFound);
    assert.match(error.message, /^No site "no-such-site" in /);

    const usage = await sandbox().cli(['frobnicate', '--json']);
    assert.equal(usage.code, 2);
    assert.deepEqual(JSON.parse(usage.stdout), { error: { code: 'usage', message: 'Unknown command "frobnicate". Run multisite-local --help for the list.' } });

    const stopped = await sandbox().cli(['daemon', 'stop']);
    assert.equal(stopped.code, 0);
    const none = await sandbox().cli(['daemon', 'status', '--json']);
    assert.equal(none.code, 1);
    assert.equal((JSON.parse(none.stdout) as { error: { code: string } }).error.code, 'daemon-not-running');
  });

  it('accepts only decimal port numbers, before starting anything', async () => {
    for (const port of ['0x50', '1e3', '80.0', '+80', '0', '65536', '']) {
      const result = await sandbox().cli(['switch', 'site1', '--port', port]);
      assert.equal(result.code, 2, `--port ${JSON.stringify(port)}: ${result.stderr}`);
      assert.equal(result.stderr, `--port must be a TCP port number written in decimal digits (1-65535), not "${port}".\n`);
    }
    assert.equal(existsSync(path.join(sandbox().home, 'daemon.json')), false, 'no daemon was started');
  });
});
