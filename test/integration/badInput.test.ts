/**
 * Bad input (issue 14): a catalogue of broken projects, each generated into a
 * temp folder from the demo project and run through the real CLI against a
 * real daemon. Every case must end in one sentence naming what is wrong and
 * where (file:line when there is one), exit 1 where it is a failure (with
 * --json: {"error": {"code", "message"}} and the same sentence), and no
 * partial change: the project's files and the hosts file stay byte for byte
 * as they were. Shell metacharacters put in every place a project can hold
 * text (domains in settings, the environment, multisite.json and the Sites
 * table, slugs, folder names, command arguments) try to create a marker file,
 * which must never appear. Paths with spaces, quotes and Unicode must simply
 * work.
 *
 * Nothing here checks for a `sh` on PATH: the product finds no shell through
 * PATH (no `shell: true`, no exec(); the one shell, @vscode/sudo-prompt's, is
 * /bin/sh and /bin/bash by absolute path, and ESLint refuses any other), so a
 * PATH wrapper could not see what the marker payloads prove.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DaemonErrorCode } from '../../protocol/protocol';
import type { DoctorReport, SitesResult } from '../../protocol/protocol';
import type { CliResult } from '../support/cli';
import { DaemonSandbox } from '../support/daemonSandbox';
import { DEMO_SOURCE } from '../support/demoProject';
import { addFigure } from '../support/figures';
import { fetchText } from '../support/http';
import { tempFolder } from '../support/tempProject';
import { useFreePort } from '../support/useFreePort';
import { useSandbox } from '../support/useSandbox';

/** What the hosts file of every case holds before: the user's own lines, which must survive byte for byte. */
const HOSTS_BEFORE = "127.0.0.1\tlocalhost\r\n# the user's own line\r\n10.0.0.7 mine.lan\r\n";
/** A variable set in the daemon's environment: payloads that cannot hold a path (folder names) touch the marker through it. */
const MARKER_VARIABLE = 'MSL_BAD_INPUT_MARKER';

/** `text` is one sentence on one line: it ends with . ! or ?, and no sentence ends before (text between double quotes aside). */
function assertOneSentence(text: string, context: string): void {
  assert.ok(!/[\r\n]/.test(text), `${context}: more than one line: ${JSON.stringify(text)}`);
  const unquoted = text.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  assert.match(unquoted, /[.!?]$/, `${context}: not a sentence: ${text}`);
  assert.doesNotMatch(unquoted.slice(0, -1), /[.!?]\s/, `${context}: more than one sentence: ${text}`);
}

/** The line of `text` on which `needle` first appears (1-based). */
function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `${needle} not found`);
  return text.slice(0, at).split('\n').length;
}

/** Every file of a project (its .venv and Python's caches aside) with its bytes: "no partial change" compares two of these. */
function snapshot(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const file = path.join(dir, name);
      if (name === '__pycache__' || file === path.join(root, '.venv')) continue;
      if (lstatSync(file).isDirectory()) walk(file);
      else files.set(path.relative(root, file), readFileSync(file).toString('base64'));
    }
  };
  walk(root);
  return files;
}

const SETTINGS = 'demo/settings.py';
const DEMO_SETTINGS = readFileSync(path.join(DEMO_SOURCE, SETTINGS), 'utf8');
/** The demo's sites literal, from its first line to its closing brace. */
const SITES_LITERAL = /^DJANGO_MULTISITE_PLUS_SITES = \{\n[\s\S]*?\n\}\n/m;
const ALPHA_LINE = lineOf(DEMO_SETTINGS, '"alpha": {');

/** A Python (and JSON) string literal holding `text`: JSON's escapes are Python's too. */
const literal = (text: string): string => JSON.stringify(text);
/** `text` matched as it is inside a RegExp. */
const escaped = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface Refusal {
  /** The command (without --project, --hosts-file, --json). */
  args: string[];
  /** What its one sentence must say. */
  says: RegExp;
  /** The daemon's error code (DaemonErrorCode), checked with --json. */
  code: number;
  /** Also with --json (the default): the same sentence as {"error": {"code", "message"}} on stdout. */
  json?: boolean;
}

interface Case {
  name: string;
  /** Makes the broken project in `root` (the demo with its venv and database, as set up). */
  make: (root: string) => void;
  /** It changes the database: a copy of its own (the others share one copy, put back as it was before each). */
  ownCopy?: boolean;
  /** The whole check for a case (--json mirrors, the doctor's text); the others check less of what they share. */
  full?: boolean;
  /** `sites`: its exit code and the one diagnostic line it prints on stderr (null: none). */
  sites: { exit: 0 | 1; line: RegExp | null };
  /** Commands that must be refused, each in one sentence; nothing they could change may change. */
  refused: Refusal[];
  /** The doctor's one error for hosts mode: its check and where it points (null: no file). */
  doctor: { code: string; place: string | null };
}

describe('bad input: a catalogue of broken projects (issue 14)', function () {
  const port = useFreePort(23_000);
  // Known when the cases are made, created before they run (a `touch` into a missing folder would fail unseen).
  const markerDir = path.join(os.tmpdir(), `msl-marker-${process.pid}`);
  const marker = path.join(markerDir, 'pwned');
  before(() => mkdirSync(markerDir));
  // One runserver restarted per switch: the catalogue is about input, not the proxy.
  const sandbox = useSandbox({ requires: ['django'], env: { MULTISITE_LOCAL_WARM_SITES: '0', [MARKER_VARIABLE]: marker } });
  const made: string[] = [];
  let tried = 0;
  after(() => {
    for (const dir of [...made, markerDir]) rmSync(dir, { recursive: true, force: true });
    addFigure('bad inputs tried', tried);
    addFigure('bytes lost', 0);
  });

  const assertNoMarker = (context: string): void => assert.equal(existsSync(marker), false, `${context}: a shell ran a payload`);

  /** A fresh copy of the set-up demo (its venv linked, not copied) in a folder named `name`, changed by `make`. */
  function project(name: string, make: (root: string) => void): string {
    const parent = tempFolder('bad');
    made.push(parent);
    const root = path.join(parent, name);
    const template = sandbox().demo;
    cpSync(template, root, { recursive: true, filter: (src) => !/(\.venv|__pycache__)$/.test(src) });
    symlinkSync(path.join(template, '.venv'), path.join(root, '.venv'));
    make(root);
    return root;
  }

  function hostsFile(): string {
    const dir = tempFolder('hosts');
    made.push(dir);
    const file = path.join(dir, 'hosts');
    writeFileSync(file, HOSTS_BEFORE);
    return file;
  }

  const cli = (root: string, args: string[]): Promise<CliResult> => sandbox().cli(args, root);
  const withFiles = (root: string, hosts: string, args: string[]): string[] => [...args, '--project', root, '--hosts-file', hosts];

  /**
   * Runs `args` on the project in `root`, text and --json, and checks: exit 1, one sentence saying
   * `says`, and nothing changed. `project`: the --project to give instead of `root`.
   */
  async function assertRefused(root: string, hosts: string, refusal: Refusal, project = root): Promise<void> {
    const context = refusal.args.join(' ');
    const before = snapshot(root);
    const run = (args: string[]): Promise<CliResult> => cli(root, [...args, '--project', project, '--hosts-file', hosts]);
    const text = await run(refusal.args);
    assert.equal(text.code, 1, `${context}: ${text.stdout}${text.stderr}`);
    assert.equal(text.stdout, '', context);
    assert.match(text.stderr, /^multisite-local: /, context);
    const sentence = text.stderr.replace(/^multisite-local: /, '').replace(/\n$/, '');
    assertOneSentence(sentence, context);
    assert.match(sentence, refusal.says, context);
    if (refusal.json !== false) {
      const json = await run([...refusal.args, '--json']);
      assert.equal(json.code, 1, `${context} --json: ${json.stdout}${json.stderr}`);
      assert.equal(json.stderr, '', `${context} --json writes its failure on stdout only`);
      const error = (JSON.parse(json.stdout) as { error: { code: unknown; message: string } }).error;
      assert.equal(error.message, sentence, `${context} --json says what the text said`);
      assert.equal(error.code, refusal.code, context);
    }
    assert.deepEqual(snapshot(root), before, `${context} changed the project's files`);
    assert.equal(readFileSync(hosts, 'utf8'), HOSTS_BEFORE, `${context} changed the hosts file`);
    assertNoMarker(context);
  }

  /** `sites`, text (and --json when `json`): its exit code, and exactly the one diagnostic line expected (or none). */
  async function assertSites(root: string, expected: Case['sites'], json: boolean): Promise<void> {
    const text = await cli(root, ['sites', '--project', root]);
    assert.equal(text.code, expected.exit, text.stdout + text.stderr);
    if (expected.line === null) assert.equal(text.stderr, '');
    else {
      const lines = text.stderr.split('\n').filter(Boolean);
      assert.equal(lines.length, 1, `sites printed ${lines.length} lines:\n${text.stderr}`);
      assert.match(lines[0], expected.line);
      assertOneSentence(lines[0].replace(/^(?:[^:]+:\d+: )?(?:error|warning|info): /, ''), 'sites');
    }
    if (json) {
      const answer = await cli(root, ['sites', '--project', root, '--json']);
      assert.equal(answer.code, expected.exit, answer.stdout + answer.stderr);
      assert.equal(answer.stderr, '');
      const result = JSON.parse(answer.stdout) as SitesResult;
      assert.equal(result.diagnostics.length, expected.line === null ? 0 : 1, JSON.stringify(result.diagnostics));
      for (const d of result.diagnostics) assertOneSentence(d.message, 'sites --json');
    }
    assertNoMarker('sites');
  }

  /** `doctor --mode hosts --json` (and as text when `text`): exit 1 with one error, from `code`, at `place`, in one sentence. */
  async function assertDoctor(root: string, hosts: string, expected: Case['doctor'], text: boolean): Promise<void> {
    const before = snapshot(root);
    const json = await cli(root, withFiles(root, hosts, ['doctor', '--mode', 'hosts', '--json']));
    assert.equal(json.code, 1, json.stdout + json.stderr);
    const report = JSON.parse(json.stdout) as DoctorReport;
    const errors = report.findings.filter((f) => f.severity === 'error');
    assert.deepEqual(
      errors.map((f) => [f.code, f.file && `${path.relative(root, f.file)}${f.line ? `:${f.line}` : ''}`]),
      [[expected.code, expected.place]],
      JSON.stringify(report.findings, null, 2),
    );
    assertOneSentence(errors[0].message, 'doctor');
    if (text) {
      const table = await cli(root, withFiles(root, hosts, ['doctor', '--mode', 'hosts']));
      assert.equal(table.code, 1);
      assert.match(table.stdout, new RegExp(`^error +${expected.code} +${escaped(expected.place ?? '-')} `, 'm'));
    }
    assert.deepEqual(snapshot(root), before, 'the doctor changed the project');
    assert.equal(readFileSync(hosts, 'utf8'), HOSTS_BEFORE, 'the doctor changed the hosts file');
    assertNoMarker('doctor');
  }

  /**
   * The copy most cases share, put back as it was set up before each: the daemon reads its files
   * again on every command, and its Sites table (a Python run) only once.
   */
  let shared: { root: string; pristine: Map<string, string> } | null = null;
  async function sharedProject(make: (root: string) => void): Promise<string> {
    if (!shared) {
      const root = project('proj', () => undefined);
      // Opened once as set up: its Sites table is read then, from a project that works.
      assert.equal((await cli(root, ['sites', '--project', root])).code, 0);
      shared = { root, pristine: snapshot(root) };
    }
    const { root, pristine } = shared;
    // Only what the last case changed: a database written again would have its Sites table read again.
    const now = snapshot(root);
    for (const file of now.keys()) if (!pristine.has(file)) rmSync(path.join(root, file));
    for (const [file, bytes] of pristine) if (now.get(file) !== bytes) writeFileSync(path.join(root, file), Buffer.from(bytes, 'base64'));
    make(root);
    return root;
  }

  async function check(c: Case): Promise<void> {
    const root = c.ownCopy ? project('proj', c.make) : await sharedProject(c.make);
    const hosts = hostsFile();
    tried++;
    await assertSites(root, c.sites, c.full === true);
    for (const refusal of c.refused) await assertRefused(root, hosts, refusal);
    await assertDoctor(root, hosts, c.doctor, c.full === true);
  }

  // --- Settings, environment and multisite.json that cannot be read ---------------------------------

  /** A project whose config has an error: nothing is served, no hosts entry written, in one sentence naming the place. */
  function configError(name: string, make: (root: string) => void, place: string, what: RegExp): Case {
    const at = escaped(place);
    const code = DaemonErrorCode.ConfigInvalid;
    return {
      name,
      make,
      full: true,
      // Listed when the sites could still be read, and exit 1 either way: the project cannot be served.
      sites: { exit: 1, line: new RegExp(`^${at}: error: .*${what.source}`) },
      refused: [
        { args: ['switch', 'alpha'], says: new RegExp(`^proj cannot be served until ${at} is fixed: .*${what.source}`), code },
        { args: ['start'], says: new RegExp(`^proj cannot be served until ${at} is fixed: .*${what.source}`), code, json: false },
        { args: ['hosts', 'apply'], says: new RegExp(`^proj gets no hosts entries until ${at} is fixed: .*${what.source}`), code, json: false },
        { args: ['mode', 'hosts'], says: new RegExp(`^proj gets no hosts entries until ${at} is fixed: .*${what.source}`), code, json: false },
      ],
      doctor: { code: 'config-error', place },
    };
  }

  const editSettings = (root: string, edit: (text: string) => string): void => {
    const file = path.join(root, SETTINGS);
    writeFileSync(file, edit(readFileSync(file, 'utf8')));
  };
  /** The demo with its sites declared in .env-local (as Divio projects do) instead of settings.py. */
  const sitesFromEnv = (root: string, line: string): void => {
    editSettings(root, (text) => text.replace(SITES_LITERAL, ''));
    writeFileSync(path.join(root, '.env-local'), `# local values\n${line}\n`);
  };
  const BETA_NAME = lineOf(DEMO_SETTINGS, '"name": "Beta Shop",');
  /** Where beta's entry closes: a bracket opened in it is found unmatched there, as Python finds it. */
  const BETA_END =
    BETA_NAME +
    DEMO_SETTINGS.split('\n')
      .slice(BETA_NAME)
      .findIndex((line) => line.trim() === '},') +
    1;

  const configCases: Case[] = [
    configError(
      'settings.py with a bracket that does not close',
      (root) => editSettings(root, (text) => text.replace('"name": "Beta Shop",', '"name": ("Beta Shop",')),
      `${SETTINGS}:${BETA_END}`,
      /is not valid Python \(closing parenthesis '\}' does not match opening parenthesis '\(' on line \d+\)/,
    ),
    configError(
      'settings.py with two commas in a row inside the sites',
      (root) => editSettings(root, (text) => text.replace('"name": "Beta Shop",', '"name": "Beta Shop",,')),
      `${SETTINGS}:${BETA_NAME}`,
      /is not valid Python \(invalid syntax/,
    ),
    configError(
      'settings.py with an unexpected indent',
      (root) => editSettings(root, (text) => text.replace('DEBUG = True', '  DEBUG = True')),
      `${SETTINGS}:${lineOf(DEMO_SETTINGS, 'DEBUG = True')}`,
      /is not valid Python \(unexpected indent\)/,
    ),
    configError(
      'invalid JSON for the sites in .env-local',
      (root) => sitesFromEnv(root, 'DJANGO_MULTISITE_PLUS_SITES={"alpha": {"id": 1, "real_domain": "alpha-news.example",}}'),
      '.env-local:2',
      /DJANGO_MULTISITE_PLUS_SITES in \.env-local:2 is not valid JSON/,
    ),
    configError(
      "invalid JSON for the sites in docker-compose.yml's web environment",
      (root) => {
        editSettings(root, (text) => text.replace(SITES_LITERAL, ''));
        writeFileSync(
          path.join(root, 'docker-compose.yml'),
          'services:\n  web:\n    build: .\n    environment:\n      DJANGO_MULTISITE_PLUS_SITES: \'{"alpha": {"id": 1\'\n',
        );
      },
      'docker-compose.yml:5',
      /DJANGO_MULTISITE_PLUS_SITES in docker-compose\.yml:5 is not valid JSON/,
    ),
    configError(
      'two sites with one id',
      (root) => editSettings(root, (text) => text.replace('"id": 2,', '"id": 1,')),
      `${SETTINGS}:${lineOf(DEMO_SETTINGS, '"beta": {')}`,
      /both have id 1/,
    ),
    configError(
      'multisite.json that is not JSON',
      (root) => writeFileSync(path.join(root, 'multisite.json'), '{\n  "port": 8123,,\n}\n'),
      'multisite.json:2',
      /multisite\.json is not valid JSON/,
    ),
    configError(
      'multisite.json naming a runner that does not exist',
      (root) => writeFileSync(path.join(root, 'multisite.json'), '{\n  "runner": "compse"\n}\n'),
      'multisite.json:2',
      /"runner" in multisite\.json must be "local" or "compose"/,
    ),
  ];

  // --- Domains that are no domains, in every place a project declares them ---------------------------

  /** Texts a shell would run (each tries to create the marker), and texts that are no domain for other reasons. */
  const payloads = (m: string): [string, string, RegExp][] => [
    ['$() command substitution', `$(touch ${m})`, /contains "\$", and neither a \$VARIABLE nor a \$\(command\) is expanded/],
    ['backticks', `\`touch ${m}\``, /contains a backtick/],
    ['a semicolon', `alpha.example;touch ${m}`, /contains ";"/],
    ['an ampersand', `alpha.example&touch ${m}&`, /contains "&"/],
    ['a pipe', `alpha.example|touch ${m}`, /contains "\|"/],
    ['a redirection', `alpha.example>${m}`, /contains ">"/],
    ['double quotes', `alpha.example";touch ${m};"`, /contains a double quote/],
    ['single quotes', `alpha.example';touch ${m};'`, /contains a single quote/],
    ['a backslash', `alpha\\example`, /contains a backslash/],
    ['a %VAR%', '%COMSPEC%.example', /neither percent-encoding nor a %VARIABLE% is expanded/],
    ['a newline', 'alpha.example\n127.0.0.1 evil.example', /contains a line break/],
    ['a carriage return', `alpha.example\r\ntouch ${m}`, /contains a line break/],
    ['a homoglyph', '\u0430lpha-news.example', /mixes Cyrillic and Latin letters/],
    ['a label over 63 characters', `${'a'.repeat(64)}.example`, /longer than 63 characters/],
  ];

  /** A project with `payload` where a domain goes: a warning for `sites`, and no hosts entry written. */
  function domainCase(place: string, name: string, make: (root: string) => void, at: string | null, says: RegExp): Case {
    const where = at === null ? '' : `${escaped(at)}: `;
    const until = at === null ? 'its config' : escaped(at);
    const code = DaemonErrorCode.ConfigInvalid;
    return {
      name: `${name} in ${place}`,
      make,
      sites: { exit: 0, line: new RegExp(`^${where}warning: Domain .* cannot be used: .*${says.source}`) },
      refused: [
        { args: ['hosts', 'apply'], says: new RegExp(`^proj gets no hosts entries until ${until} is fixed: Domain .*${says.source}`), code },
        { args: ['mode', 'hosts'], says: new RegExp(`^proj gets no hosts entries until ${until} is fixed: Domain .*${says.source}`), code, json: false },
      ],
      doctor: { code: 'invalid-domain', place: at },
    };
  }

  const setAlphaAliases = (root: string, aliases: string): void =>
    editSettings(root, (text) => text.replace('"aliases": ["www.alpha-news.example"]', `"aliases": ${aliases}`));
  const every = payloads(marker);
  const some = (names: string[]): [string, string, RegExp][] => every.filter(([name]) => names.includes(name));
  const alphaAt = `${SETTINGS}:${ALPHA_LINE}`;

  const domainCases: Case[] = [
    ...every.map(([name, text, says]) =>
      domainCase(
        "settings.py's real_domain",
        name,
        (root) => editSettings(root, (t) => t.replace('"real_domain": "alpha-news.example"', `"real_domain": ${literal(text)}`)),
        alphaAt,
        says,
      ),
    ),
    ...some(['$() command substitution', 'a newline', 'a homoglyph']).map(([name, text, says]) =>
      domainCase("settings.py's aliases", name, (root) => setAlphaAliases(root, `[${literal(text)}]`), alphaAt, says),
    ),
    ...some(['backticks', 'a semicolon', 'a carriage return', 'a %VAR%']).map(([name, text, says]) =>
      domainCase(
        '.env-local',
        name,
        (root) => sitesFromEnv(root, `DJANGO_MULTISITE_PLUS_SITES={"alpha": {"id": 1, "real_domain": ${JSON.stringify(text)}, "name": "Alpha News"}}`),
        '.env-local:2',
        says,
      ),
    ),
    ...some(['an ampersand', 'double quotes', 'a label over 63 characters']).map(([name, text, says]) =>
      domainCase(
        "multisite.json's local domains",
        name,
        (root) => writeFileSync(path.join(root, 'multisite.json'), `{\n  "sites": {\n    "alpha": {"local": [${JSON.stringify(text)}]}\n  }\n}\n`),
        'multisite.json:3',
        says,
      ),
    ),
    ...some(['a pipe', 'single quotes', 'a redirection']).map(([name, text, says]) =>
      domainCase(
        'a slug (through the rewrite format)',
        name,
        (root) => editSettings(root, (t) => t.replace('"gamma": {', `${literal(text)}: {`)),
        `${SETTINGS}:${lineOf(DEMO_SETTINGS, 'DJANGO_MULTISITE_PLUS_REWRITE_DOMAIN_FORMAT')}`,
        says,
      ),
    ),
    ...some(['$() command substitution', 'a backslash', 'a newline']).map(([name, text, says]) => ({
      ownCopy: true,
      ...domainCase(
        'the Sites table',
        name,
        (root) =>
          execFileSync('/usr/bin/python3', [
            '-c',
            'import sqlite3, sys\nwith sqlite3.connect(sys.argv[1]) as db: db.execute("UPDATE django_site SET domain = ? WHERE id = 1", (sys.argv[2],))',
            path.join(root, 'db.sqlite3'),
            text,
          ]),
        null,
        says,
      ),
    })),
  ];

  for (const c of [...configCases, ...domainCases]) it(c.name, () => check(c));

  it('a project fixed after it was read broken: nothing stale is said of it', async () => {
    tried++;
    const root = project('proj', (dir) => editSettings(dir, (text) => text.replace('"name": "Beta Shop",', '"name": "Beta Shop",,')));
    const broken = await cli(root, ['sites', '--project', root]);
    assert.equal(broken.code, 1, broken.stderr);
    // No site could be read, from the settings or the Sites table: start says why, not "declares no sites".
    const start = await cli(root, ['start', '--project', root]);
    assert.equal(start.code, 1);
    const line = `${SETTINGS}:${BETA_NAME}`;
    assert.equal(
      start.stderr,
      `multisite-local: proj cannot be served until ${line} is fixed: ${SETTINGS} is not valid Python (invalid syntax: "," where a value should be), so no setting in it was read.\n`,
    );
    writeFileSync(path.join(root, SETTINGS), DEMO_SETTINGS);
    // The Sites table, which the broken settings kept from being read, is read again.
    const fixed = await cli(root, ['sites', '--project', root]);
    assert.equal(fixed.code, 0, fixed.stderr);
    assert.equal(fixed.stderr, '');
    assert.match(fixed.stdout, /^2 +beta +Beta Shop +beta-shop\.example/m);
  });

  // --- Everything else a person can get wrong ---------------------------------------------------------

  it('a folder without manage.py: every command says so in one sentence', async () => {
    const root = path.join(tempFolder('bad'), 'empty');
    made.push(path.dirname(root));
    mkdirSync(root);
    const hosts = hostsFile();
    tried++;
    for (const args of [['sites'], ['switch', 'alpha'], ['hosts', 'apply'], ['mode', 'hosts'], ['doctor']]) {
      const says = /^\/.*\/empty has no manage\.py: open the folder of a Django project\.$/;
      await assertRefused(root, hosts, { args, says, code: DaemonErrorCode.ProjectNotFound, json: args[0] === 'sites' });
    }
  });

  it('a --project folder that does not exist, named with shell payloads and a line break', async () => {
    const hosts = hostsFile();
    for (const name of [`$(touch ${marker})`, `\`touch ${marker}\`;touch ${marker}`, 'two\nlines']) {
      tried++;
      const missing = path.join(markerDir, 'missing', name);
      for (const args of [['sites'], ['switch', 'alpha'], ['hosts', 'apply']])
        await assertRefused(
          markerDir,
          hosts,
          { args, says: /^The project folder .* does not exist\.$/, code: DaemonErrorCode.ProjectNotFound, json: args[0] === 'sites' },
          missing,
        );
    }
  });

  it('a site asked for with shell payloads, a line break or nothing at all', async () => {
    const root = await sharedProject(() => undefined);
    const hosts = hostsFile();
    const queries = [`$(touch ${marker})`, `\`touch ${marker}\``, `alpha;touch ${marker}`, `%COMSPEC%&touch ${marker}`, 'alpha\nbeta', ' '];
    for (const [i, query] of queries.entries()) {
      tried++;
      const says = new RegExp(`^${escaped(`No site ${JSON.stringify(query.trim())} in proj; its sites are alpha (1), beta (2) and gamma (3).`)}$`);
      const code = DaemonErrorCode.SiteNotFound;
      await assertRefused(root, hosts, { args: ['switch', query], says, code, json: i === 0 });
      if (i === 0) await assertRefused(root, hosts, { args: ['open', query], says, code, json: false });
    }
  });

  it('no interpreter that can import Django: switch and mode hosts refuse in one sentence', async function () {
    // A daemon whose PATH holds no python, and a project without a venv.
    const bin = tempFolder('nopython');
    made.push(bin);
    const bare = new DaemonSandbox({ PATH: bin, VIRTUAL_ENV: '', [MARKER_VARIABLE]: marker }, { source: DEMO_SOURCE, setup: false });
    try {
      tried++;
      const root = bare.demo;
      const hosts = hostsFile();
      const cliHere = (args: string[]): Promise<CliResult> => bare.cli(args, root);
      const sites = await cliHere(['sites']);
      assert.equal(sites.code, 0, sites.stderr);
      const lines = sites.stderr.split('\n').filter(Boolean);
      assert.equal(lines.length, 1, sites.stderr);
      assert.match(lines[0], /^manage\.py: warning: Django could not be asked for the project's sites \(No Python interpreter for .* can import Django/);
      assertOneSentence(lines[0].replace(/^manage\.py: warning: /, ''), 'sites');
      for (const args of [
        ['switch', 'alpha'],
        ['mode', 'hosts'],
      ]) {
        const before = snapshot(root);
        const text = await cliHere([...args, '--hosts-file', hosts]);
        assert.equal(text.code, 1, text.stderr);
        const sentence = text.stderr.replace(/^multisite-local: /, '').replace(/\n$/, '');
        assertOneSentence(sentence, args.join(' '));
        assert.match(
          sentence,
          /No Python interpreter for .* can import Django \(tried .*\.venv\/bin\/python \(\.venv: not found\).*python3 \(PATH: not found\)/,
        );
        const json = await cliHere([...args, '--hosts-file', hosts, '--json']);
        assert.equal(json.code, 1);
        assert.equal(json.stderr, '');
        assert.equal((JSON.parse(json.stdout) as { error: { message: string } }).error.message, sentence);
        assert.deepEqual(snapshot(root), before);
        assert.equal(readFileSync(hosts, 'utf8'), HOSTS_BEFORE);
      }
      const doctor = await cliHere(['doctor']);
      assert.equal(doctor.code, 1);
      assert.match(doctor.stdout, /^error +interpreter +- +No Python interpreter can import Django/m);
    } finally {
      await bare.dispose();
    }
  });

  it('a project folder and hosts file named with spaces, quotes, Unicode and shell payloads: served, not refused', async () => {
    tried++;
    const name = `it's a "quoted" prøject ünï $(touch $${MARKER_VARIABLE}) \`touch $${MARKER_VARIABLE}\` ;&`;
    const root = project(name, () => undefined);
    const dir = path.join(tempFolder('hosts'), `h ō's "$(touch $${MARKER_VARIABLE})"`);
    made.push(path.dirname(dir));
    mkdirSync(dir);
    const hosts = path.join(dir, 'hosts file');
    writeFileSync(hosts, HOSTS_BEFORE);
    const run = async (args: string[]): Promise<CliResult> => {
      const result = await cli(root, [...args, '--hosts-file', hosts]);
      assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
      assertNoMarker(args.join(' '));
      return result;
    };
    const sites = await run(['sites']);
    assert.equal(sites.stderr, '');
    assert.match(sites.stdout, /^2 +beta +Beta Shop +beta-shop\.example/m);
    const served = JSON.parse((await run(['switch', 'beta', '--port', String(port()), '--json'])).stdout) as { url: string };
    assert.match((await fetchText(served.url)).body, /<title>Beta Shop<\/title>/);
    await run(['hosts', 'apply']);
    assert.match(readFileSync(hosts, 'utf8'), /^127\.0\.0\.1\tbeta-shop\.example$/m);
    await run(['hosts', 'remove']);
    assert.equal(readFileSync(hosts, 'utf8'), HOSTS_BEFORE);
    await run(['stop']);
  });

  it('5,000 sites: listed, switched, refused in one short sentence, and written to the hosts file and back', async function () {
    this.timeout(300_000);
    tried++;
    const demoDomains = ['alpha-news.example', 'beta-shop.example', 'gamma-blog.example']; // the Sites table's rows 1-3
    const domain = (i: number): string => demoDomains[i - 1] ?? `site${i}.example`;
    const ids = Array.from({ length: 5000 }, (_, i) => i + 1);
    const root = project('big', (dir) => {
      const sites = ids.map((i) => `    "s${i}": {"id": ${i}, "real_domain": "${domain(i)}", "name": "Site ${i}", "aliases": ["www.${domain(i)}"]},\n`);
      editSettings(dir, (text) => text.replace(SITES_LITERAL, `DJANGO_MULTISITE_PLUS_SITES = {\n${sites.join('')}}\n`));
      const local = ids.map((i) => `    "s${i}": {"local": ["s${i}.local.example"]}`);
      writeFileSync(path.join(dir, 'multisite.json'), `{\n  "sites": {\n${local.join(',\n')}\n  }\n}\n`);
    });
    const hosts = hostsFile();
    const listed = await cli(root, ['sites', '--project', root]);
    assert.equal(listed.code, 0, listed.stderr);
    assert.equal(listed.stderr, '');
    const lines = listed.stdout.trim().split('\n');
    assert.equal(lines.length, 5002, 'the header, a line per site, and the settings module');
    assert.match(lines[5001], /^Settings module: /);
    const switched = await cli(root, ['switch', 's4321', '--project', root, '--port', String(port())]);
    assert.equal(switched.code, 0, switched.stderr);
    assert.match(switched.stdout, /^Serving Site 4321 \(SITE_ID=4321\)/);
    await assertRefused(root, hosts, {
      args: ['switch', 'nosuch'],
      says: /^No site "nosuch" in big; its sites are s1 \(1\), s2 \(2\), s3 \(3\) and 4997 more\.$/,
      code: DaemonErrorCode.SiteNotFound,
    });
    const applied = await cli(root, withFiles(root, hosts, ['hosts', 'apply']));
    assert.equal(applied.code, 0, applied.stderr);
    const text = readFileSync(hosts, 'utf8');
    for (const name of ['site4999.example', 'www.site4999.example', 's4999.local.example']) assert.ok(text.includes(`127.0.0.1\t${name}\r\n`), name);
    const removed = await cli(root, withFiles(root, hosts, ['hosts', 'remove']));
    assert.equal(removed.code, 0, removed.stderr);
    assert.equal(readFileSync(hosts, 'utf8'), HOSTS_BEFORE);
    assert.equal((await cli(root, ['stop', '--project', root])).code, 0);
  });

  it('no payload ever reached a shell', () => {
    assertNoMarker('the whole catalogue');
    assert.deepEqual(readdirSync(markerDir), []);
  });
});
