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
import { readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { DaemonErrorCode } from '../../protocol/protocol';
import type { Case } from '../support/badInputWorld';
import { ALPHA_LINE, DEMO_SETTINGS, escaped, lineOf, literal, SETTINGS, SITES_LITERAL, useBadInputWorld, editSettings } from '../support/badInputWorld';

describe('bad input: a catalogue of broken projects (issue 14)', function () {
  const { markerDir, marker, count, assertNoMarker, project, cli, check } = useBadInputWorld();

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
    count();
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

  it('no payload ever reached a shell', () => {
    assertNoMarker('the whole catalogue');
    assert.deepEqual(readdirSync(markerDir), []);
  });
});
