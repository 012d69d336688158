/**
 * Every way compose lets a file publish the web port, one row each: what
 * findWebPort reads, what hosts mode's edit (ComposePortEdits.publishOn80, on a
 * real file with its journal) and publishWebPortOn (the runner's moved copy)
 * write. Each is handled exactly (one scalar changed, the original bytes back
 * on restore) or refused with one sentence naming the file, the line and the
 * value, the file left as it was.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { findWebPort, publishWebPortOn, restoreWebPort } from '../../../../daemon/compose/composePorts';
import { ComposePortEdits } from '../../../../daemon/compose/composePortEdits';
import { tempFolder } from '../../../support/tempProject';
import { addFigure } from '../../../support/figures';

interface Handled {
  /** The scalar holding the published port, as written. */
  raw: string;
  published: number | null;
  /** That scalar after the hosts-mode edit, and after publishing on 18000. */
  on80: string;
  on18000: string;
}

interface Refused {
  line: number;
  /** The value the sentence must quote. */
  value: string;
  why: RegExp;
}

interface Row {
  syntax: string;
  text: string;
  expect: Handled | Refused;
}

const NAME = 'docker-compose.yml';
/** A compose file whose web service publishes `ports` (the lines after `ports:`), with a database beside it. */
const web = (ports: string, extra = ''): string =>
  `# the project's services\nservices:\n  web:\n    build: .\n    ports:${ports}\n  db:\n    image: postgres:15\n    ports: ["5432:5432"]\n${extra}`;

const handled = (raw: string, published: number | null, on80: string, on18000: string): Handled => ({ raw, published, on80, on18000 });
const refused = (line: number, value: string, why: RegExp): Refused => ({ line, value, why });

const ROWS: Row[] = [
  { syntax: 'short, double quotes', text: web('\n      - "8000:80"'), expect: handled('"8000:80"', 8000, '"80:80"', '"18000:80"') },
  { syntax: 'short, single quotes', text: web("\n      - '8000:80'  # local"), expect: handled("'8000:80'", 8000, "'80:80'", "'18000:80'") },
  {
    syntax: 'short, unquoted (quoted when written: YAML 1.1 reads 80:80 as a number)',
    text: web('\n      - 8000:80'),
    expect: handled('8000:80', 8000, '"80:80"', '"18000:80"'),
  },
  { syntax: 'short, flow sequence', text: web(' ["9229:9229", "8000:80"]'), expect: handled('"8000:80"', 8000, '"80:80"', '"18000:80"') },
  { syntax: 'integer (container port only)', text: web('\n      - 80'), expect: handled('80', null, '"80:80"', '"18000:80"') },
  { syntax: 'quoted container port only', text: web('\n      - "80"'), expect: handled('"80"', null, '"80:80"', '"18000:80"') },
  {
    syntax: 'IPv4 host',
    text: web('\n      - "127.0.0.1:8000:80"'),
    expect: handled('"127.0.0.1:8000:80"', 8000, '"127.0.0.1:80:80"', '"127.0.0.1:18000:80"'),
  },
  {
    syntax: 'IPv4 host, no published port',
    text: web('\n      - "127.0.0.1::80"'),
    expect: handled('"127.0.0.1::80"', null, '"127.0.0.1:80:80"', '"127.0.0.1:18000:80"'),
  },
  { syntax: 'IPv6 host in brackets', text: web('\n      - "[::1]:8000:80"'), expect: handled('"[::1]:8000:80"', 8000, '"[::1]:80:80"', '"[::1]:18000:80"') },
  { syntax: 'IPv6 host, bare', text: web('\n      - "::1:8000:80"'), expect: handled('"::1:8000:80"', 8000, '"::1:80:80"', '"::1:18000:80"') },
  { syntax: '/tcp', text: web('\n      - "8000:80/tcp"'), expect: handled('"8000:80/tcp"', 8000, '"80:80/tcp"', '"18000:80/tcp"') },
  {
    syntax: '/udp beside /tcp: the TCP one',
    text: web('\n      - "8000:80/udp"\n      - 8001:80/tcp'),
    expect: handled('8001:80/tcp', 8001, '"80:80/tcp"', '"18000:80/tcp"'),
  },
  {
    syntax: 'runserver port from the command',
    text: web(' ["3000:3000", "8080:8000"]\n    command: python manage.py runserver 0.0.0.0:8000'),
    expect: handled('"8080:8000"', 8080, '"80:8000"', '"18000:8000"'),
  },
  {
    syntax: 'long syntax, every field',
    text: web('\n      - target: 80\n        published: 8000\n        host_ip: 127.0.0.1\n        protocol: tcp\n        mode: host'),
    expect: handled('8000', 8000, '80', '18000'),
  },
  {
    syntax: 'long syntax, published as a string',
    text: web('\n      - target: "80"\n        published: "8000"'),
    expect: handled('"8000"', 8000, '"80"', '"18000"'),
  },
  {
    syntax: 'long syntax, published in single quotes',
    text: web("\n      - {target: 80, published: '8000', host_ip: '::1'}"),
    expect: handled("'8000'", 8000, "'80'", "'18000'"),
  },
  {
    syntax: 'ports from an anchor only the web service uses',
    text: `x-ports: &ports ["8000:80"]\n${web(' *ports')}`,
    expect: handled('"8000:80"', 8000, '"80:80"', '"18000:80"'),
  },
  {
    syntax: 'ports from a merge key only the web service uses',
    text: `x-django: &django\n  ports:\n    - "8000:80"  # from the base\nservices:\n  web:\n    <<: *django\n    build: .\n  worker:\n    <<: *django\n    ports: []\n`,
    expect: handled('"8000:80"', 8000, '"80:80"', '"18000:80"'),
  },
  {
    syntax: 'long syntax, published from an anchored scalar',
    text: `x-port: &port 8000\n${web('\n      - target: 80\n        published: *port')}`,
    expect: handled('8000', 8000, '80', '18000'),
  },

  {
    syntax: 'variable ${PORT:-8000}',
    text: web('\n      - "${PORT:-8000}:80"\n      - "9229:9229"'),
    expect: refused(6, '"${PORT:-8000}:80"', /set through a variable/),
  },
  { syntax: 'variable $PORT', text: web('\n      - $PORT:80'), expect: refused(6, '"$PORT:80"', /set through a variable/) },
  {
    syntax: 'long syntax, published from a variable',
    text: web('\n      - target: 80\n        published: ${WEB_PORT}'),
    expect: refused(7, 'published: "${WEB_PORT}"', /set through a variable/),
  },
  { syntax: 'ranges', text: web('\n      - "8000-8001:80-81"'), expect: refused(6, '"8000-8001:80-81"', /is a range of ports/) },
  { syntax: 'a published range', text: web('\n      - 8000-8010:80'), expect: refused(6, '"8000-8010:80"', /is a range of ports/) },
  {
    syntax: 'long syntax, published range',
    text: web('\n      - target: 80\n        published: "8000-8001"'),
    expect: refused(7, 'published: "8000-8001"', /is a range of ports/),
  },
  {
    syntax: 'long syntax, no published port',
    text: web('\n      - target: 80\n        mode: ingress'),
    expect: refused(6, 'target: "80"', /port Docker picks at random/),
  },
  { syntax: '/udp only', text: web('\n      - "8000:80/udp"'), expect: refused(6, '80', /no port of the web service maps to container port 80/) },
  {
    syntax: 'long syntax, protocol udp',
    text: web('\n      - {target: 80, published: 8000, protocol: udp}'),
    expect: refused(6, '80', /no port of the web service maps to container port 80/),
  },
  {
    syntax: 'a host name for the host IP',
    text: web('\n      - "localhost:8000:80"'),
    expect: refused(6, '"localhost:8000:80"', /not a port mapping Docker accepts/),
  },
  { syntax: 'block scalar', text: web('\n      - >-\n        8000:80'), expect: refused(6, '"8000:80"', /block scalar/) },
  {
    syntax: 'ports shared through an alias with another service',
    text: `x-ports: &ports ["8000:80"]\nservices:\n  web:\n    ports: *ports\n  worker:\n    ports: *ports\n`,
    expect: refused(1, '"8000:80"', /shared through an anchor with services\.worker\.ports\[0\]/),
  },
  {
    syntax: 'ports shared through a merge key with another service',
    text: `x-django: &django\n  ports: ["8000:80"]\nservices:\n  web:\n    <<: *django\n  worker:\n    <<: *django\n`,
    expect: refused(2, '"8000:80"', /shared through an anchor with services\.worker\.ports\[0\]/),
  },
  {
    syntax: 'the port scalar anchored and aliased by another service',
    text: `services:\n  web:\n    ports:\n      - &web-port "8000:80"\n  proxy:\n    ports:\n      - *web-port\n`,
    expect: refused(4, '"8000:80"', /shared through an anchor with services\.proxy\.ports\[0\]/),
  },
  { syntax: 'a YAML error', text: web(' ["8000:80"'), expect: refused(6, 'not valid YAML', /is not valid YAML: .+/) },
  { syntax: 'several documents', text: `${web(' ["8000:80"]')}---\nservices: {}\n`, expect: refused(9, '"---"', /second YAML document/) },
];

/** The sentence a refusal must be: one line, one sentence, naming the file, the line and the value. */
function assertSentence(reason: string, expect: Refused): void {
  assert.ok(reason.startsWith(`${NAME} line ${expect.line}`), `names the file and line ${expect.line}: ${reason}`);
  assert.ok(reason.includes(expect.value), `quotes ${expect.value}: ${reason}`);
  assert.match(reason, expect.why);
  assert.match(reason, /^[^\n]+\.$/, 'one line, ending with a period');
  assert.doesNotMatch(reason.slice(0, -1), /[.!?]\s+[A-Z]/, 'one sentence');
}

describe('compose port syntaxes: handled exactly, or refused with one sentence', () => {
  let dir: string;
  before(() => {
    dir = tempFolder('compose-syntax');
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
    addFigure('bad inputs tried', ROWS.filter((r) => 'why' in r.expect).length);
  });

  ROWS.forEach((row, i) => {
    it(row.syntax, async () => {
      const { text, expect } = row;
      const found = findWebPort(text, NAME);
      const edited = found.ok ? publishWebPortOn(text, found.port, 80, NAME) : found;

      // The hosts-mode edit, the way the daemon makes it: a real file, a real journal.
      const project = path.join(dir, `p${i}`);
      mkdirSync(project);
      const file = path.join(project, NAME);
      writeFileSync(file, text);
      const home = path.join(project, 'home');
      mkdirSync(home, { mode: 0o700 });
      const edits = new ComposePortEdits(home);
      const daemonEdit = await edits.publishOn80(file).then(
        () => null,
        (error: Error) => error.message,
      );

      if ('why' in expect) {
        const reason = edited.ok ? 'edited' : edited.reason;
        assertSentence(reason, expect);
        assert.equal(daemonEdit, reason, 'the daemon refuses with the same sentence');
        assert.equal(readFileSync(file, 'utf8'), text, 'the file is left as it was');
        assert.equal(edits.isEdited(file), false, 'nothing journaled');
        if (found.ok && /shared through an anchor/.test(reason)) {
          // The runner's moved copy starts only the web service: sharing does not matter there.
          const copy = publishWebPortOn(text, found.port, 18000, NAME, true);
          assert.ok(copy.ok && copy.text === text.slice(0, found.port.start) + copy.written + text.slice(found.port.end));
        }
        return;
      }

      assert.ok(found.ok && edited.ok, edited.ok ? '' : edited.reason);
      assert.equal(found.port.raw, expect.raw);
      assert.equal(found.port.published, expect.published);
      const expected = text.slice(0, found.port.start) + expect.on80 + text.slice(found.port.end);
      assert.equal(edited.text, expected, 'only the published port scalar changed');
      const again = findWebPort(edited.text);
      assert.ok(again.ok && again.port.published === 80, 'read again, it is published on 80');
      assert.ok(parse(edited.text, { merge: true }), 'still YAML');
      assert.equal(restoreWebPort(edited.text, edited.written, found.port.raw), text, 'restore gives the original bytes');

      const moved = publishWebPortOn(text, found.port, 18000, NAME);
      assert.ok(moved.ok);
      assert.equal(moved.written, expect.on18000);

      assert.equal(daemonEdit, null);
      assert.equal(readFileSync(file, 'utf8'), expected, 'the daemon wrote the same edit');
      assert.equal(await edits.publishOn80(file), false, 'a second edit changes nothing');
      assert.equal(readFileSync(file, 'utf8'), expected);
      await edits.restore(file);
      assert.equal(readFileSync(file, 'utf8'), text, 'the daemon restores the original bytes');
      assert.equal(edits.isEdited(file), false);
    });
  });
});
