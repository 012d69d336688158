/**
 * What the bad-input suites share (issue 14: badInput and badCommands tests): a sandboxed daemon
 * restarting one runserver per switch, broken copies of the demo project made on demand, a marker file
 * every shell payload tries to create, and the checks that a refusal is one sentence naming what is
 * wrong and where and that nothing it could change has changed.
 */
import * as assert from 'node:assert/strict';
import { cpSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DoctorReport, SitesResult } from '../../protocol/protocol';
import type { CliResult } from './cli';
import { DEMO_SOURCE } from './demoProject';
import { addFigure } from './figures';
import { tempFolder } from './tempProject';
import { useFreePort } from './useFreePort';
import { useSandbox } from './useSandbox';

/** What the hosts file of every case holds before: the user's own lines, which must survive byte for byte. */
export const HOSTS_BEFORE = "127.0.0.1\tlocalhost\r\n# the user's own line\r\n10.0.0.7 mine.lan\r\n";
/** A variable set in the daemon's environment: payloads that cannot hold a path (folder names) touch the marker through it. */
export const MARKER_VARIABLE = 'MSL_BAD_INPUT_MARKER';

/** `text` is one sentence on one line: it ends with . ! or ?, and no sentence ends before (text between double quotes aside). */
export function assertOneSentence(text: string, context: string): void {
  assert.ok(!/[\r\n]/.test(text), `${context}: more than one line: ${JSON.stringify(text)}`);
  const unquoted = text.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  assert.match(unquoted, /[.!?]$/, `${context}: not a sentence: ${text}`);
  assert.doesNotMatch(unquoted.slice(0, -1), /[.!?]\s/, `${context}: more than one sentence: ${text}`);
}

/** The line of `text` on which `needle` first appears (1-based). */
export function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `${needle} not found`);
  return text.slice(0, at).split('\n').length;
}

/** Every file of a project (its .venv and Python's caches aside) with its bytes: "no partial change" compares two of these. */
export function snapshot(root: string): Map<string, string> {
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

export const SETTINGS = 'demo/settings.py';
export const DEMO_SETTINGS = readFileSync(path.join(DEMO_SOURCE, SETTINGS), 'utf8');
/** The demo's sites literal, from its first line to its closing brace. */
export const SITES_LITERAL = /^DJANGO_MULTISITE_PLUS_SITES = \{\n[\s\S]*?\n\}\n/m;
export const ALPHA_LINE = lineOf(DEMO_SETTINGS, '"alpha": {');

/** A Python (and JSON) string literal holding `text`: JSON's escapes are Python's too. */
export const literal = (text: string): string => JSON.stringify(text);
/** `text` matched as it is inside a RegExp. */
export const escaped = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export interface Refusal {
  /** The command (without --project, --hosts-file, --json). */
  args: string[];
  /** What its one sentence must say. */
  says: RegExp;
  /** The daemon's error code (DaemonErrorCode), checked with --json. */
  code: number;
  /** Also with --json (the default): the same sentence as {"error": {"code", "message"}} on stdout. */
  json?: boolean;
}

export interface Case {
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

/** Changes the demo's settings.py in the copy at `root`. */
export function editSettings(root: string, edit: (text: string) => string): void {
  const file = path.join(root, SETTINGS);
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
}

/** The daemon and the project copies under test, and the checks of a case (see the module's comment). */
export function useBadInputWorld() {
  const port = useFreePort(23_000);
  // Known when the cases are made, created before they run (a `touch` into a missing folder would fail unseen).
  const markerDir = path.join(os.tmpdir(), `msl-marker-${process.pid}`);
  const marker = path.join(markerDir, 'pwned');
  before(() => mkdirSync(markerDir));
  // One runserver restarted per switch: the catalogue is about input, not the proxy.
  const sandbox = useSandbox({ requires: ['django'], env: { MULTISITE_LOCAL_WARM_SITES: '0', [MARKER_VARIABLE]: marker } });
  const made: string[] = [];
  let tried = 0;
  /** One more bad input tried (a figure of the run). */
  const count = (): void => void tried++;
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
    count();
    await assertSites(root, c.sites, c.full === true);
    for (const refusal of c.refused) await assertRefused(root, hosts, refusal);
    await assertDoctor(root, hosts, c.doctor, c.full === true);
  }

  return {
    port,
    markerDir,
    marker,
    sandbox,
    made,
    count,
    assertNoMarker,
    project,
    hostsFile,
    cli,
    withFiles,
    assertRefused,
    assertSites,
    assertDoctor,
    sharedProject,
    check,
  };
}
