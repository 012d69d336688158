/**
 * The compose port edit over generated compose files: comments everywhere,
 * anchors, aliases and merge keys (the web service's ports written inline,
 * through `ports: *list`, through `<<: *base`, or the whole service an alias),
 * block and flow styles, CRLF, a BOM, every quoting style, short and long
 * syntax, other mappings around it, and other services publishing ports with
 * the very same text. For each file:
 * - the edit changes exactly the web port's published-port scalar, every
 *   other byte identical; restoring gives the original bytes; a second edit
 *   changes nothing;
 * - when the scalar is shared through an anchor with another service, the
 *   edit is refused with a sentence naming the file, the line and the value;
 * - a YAML error or a second document is refused, and through the daemon's
 *   ComposePortEdits on a real file, the file keeps every byte.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { findWebPort, publishWebPortOn, restoreWebPort } from '../../../../daemon/compose/composePorts';
import { ComposePortEdits } from '../../../../daemon/compose/composePortEdits';
import { addFigure } from '../../../support/figures';
import { tempFolder } from '../../../support/tempProject';

const NAME = 'docker-compose.yml';

type Quote = '"' | "'" | '';
type Entry =
  | { style: 'short'; quote: Quote; host: string | null; published: number | null; proto: '' | '/tcp' }
  | { style: 'long'; flow: boolean; quote: Quote; published: number; hostIp: string | null; protocol: boolean; mode: boolean };
type Placement = 'inline' | 'aliasedList' | 'merge' | 'aliasedService';

interface Spec {
  eol: '\n' | '\r\n';
  bom: boolean;
  header: 'none' | 'docStart' | 'directive';
  indent: 2 | 4;
  /** Comments to put at every place one may go (null: none there), used in turn. */
  comments: (string | null)[];
  placement: Placement;
  flowList: boolean;
  entry: Entry;
  extrasBefore: string[];
  extrasAfter: string[];
  /** Another service reads the same anchor (for inline ports: an anchored port scalar it aliases). */
  shared: boolean;
  /** The db service publishes the very text of the web port. */
  dbSameText: boolean;
  runserver: boolean;
  finalEol: boolean;
  /** Styles that move the scalar around: unindented block lists, quoted keys, a `!!str` tag, a flow list over several lines, `...` at the end. */
  compactLists: boolean;
  quotedKeys: boolean;
  tagged: boolean;
  multilineFlow: boolean;
  docEnd: boolean;
}

/** The file, the place of the web port's scalar, and what the edit must write there. */
interface Generated {
  text: string;
  start: number;
  end: number;
  written: string;
  shared: boolean;
}

const commentText = fc.string({
  unit: fc.constantFrom(...Array.from('abc XYZ 09:#\'"&*!|>-[]{},%@`?é漢🙂\t')),
  maxLength: 12,
});

const extra = fc.constantFrom('"9229:9229"', "'127.0.0.1:5678:5678'", '"8001:TARGET/udp"', '{target: TARGET, published: 8002, protocol: udp}', '3000');

const shortEntry: fc.Arbitrary<Entry> = fc
  .record({
    quote: fc.constantFrom<Quote>('"', "'", ''),
    host: fc.constantFrom(null, '127.0.0.1', '0.0.0.0', '[::1]', '::1'),
    published: fc.option(fc.integer({ min: 1024, max: 65535 }), { freq: 4 }),
    proto: fc.constantFrom<'' | '/tcp'>('', '/tcp'),
  })
  // A plain scalar cannot start with `[` (a flow sequence) or `::` in every context: those are quoted in real files too.
  .map((e) => ({ style: 'short' as const, ...e, quote: e.quote === '' && e.host !== null && /^[[:]/.test(e.host) ? '"' : e.quote }));

const longEntry: fc.Arbitrary<Entry> = fc.record({
  style: fc.constant('long' as const),
  flow: fc.boolean(),
  quote: fc.constantFrom<Quote>('"', "'", ''),
  published: fc.integer({ min: 1024, max: 65535 }),
  hostIp: fc.constantFrom(null, '127.0.0.1', '::1'),
  protocol: fc.boolean(),
  mode: fc.boolean(),
});

const spec: fc.Arbitrary<Spec> = fc.record({
  eol: fc.constantFrom<'\n' | '\r\n'>('\n', '\r\n'),
  bom: fc.boolean(),
  header: fc.constantFrom<Spec['header']>('none', 'docStart', 'directive'),
  indent: fc.constantFrom<2 | 4>(2, 4),
  comments: fc.array(fc.option(commentText, { freq: 2 }), { minLength: 1, maxLength: 30 }),
  placement: fc.constantFrom<Placement>('inline', 'aliasedList', 'merge', 'aliasedService'),
  flowList: fc.boolean(),
  entry: fc.oneof(shortEntry, longEntry),
  extrasBefore: fc.array(extra, { maxLength: 2 }),
  extrasAfter: fc.array(extra, { maxLength: 2 }),
  shared: fc.boolean(),
  dbSameText: fc.boolean(),
  runserver: fc.boolean(),
  finalEol: fc.boolean(),
  compactLists: fc.boolean(),
  quotedKeys: fc.boolean(),
  tagged: fc.boolean(),
  multilineFlow: fc.boolean(),
  docEnd: fc.boolean(),
});

/** Builds a file line by line, remembering where the web port's scalar goes. */
class Writer {
  text = '';
  start = -1;
  end = -1;
  private comment = 0;
  constructor(private readonly spec: Spec) {}

  /** The next comment of the spec, as a trailing ` # ...`, or nothing. */
  trailing(): string {
    const text = this.spec.comments[this.comment++ % this.spec.comments.length];
    return text === null ? '' : `  # ${text}`;
  }

  /**
   * A line at `depth` indentation levels (and `extra` spaces: under a `- ` item); a NUL in
   * `content` marks where the web scalar goes (given as `scalar`).
   */
  line(depth: number, content: string, scalar?: string, extra = 0): void {
    const full = this.spec.comments[this.comment++ % this.spec.comments.length];
    // A full-line comment before some lines, at any indentation.
    if (full !== null && full.length % 3 === 0) this.text += `${' '.repeat((full.length % 4) * 2)}# ${full}${this.spec.eol}`;
    const prefix = ' '.repeat(depth * this.spec.indent + extra);
    if (scalar !== undefined) {
      const at = content.indexOf('\u0000');
      this.start = this.text.length + prefix.length + at;
      this.end = this.start + scalar.length;
      content = content.replace('\u0000', scalar);
    }
    this.text += `${prefix}${content}${this.trailing()}${this.spec.eol}`;
  }
}

function shortValue(e: Extract<Entry, { style: 'short' }>, target: number, published = e.published): string {
  return `${e.host === null ? '' : `${e.host}:`}${published === null ? '' : published}${published === null && e.host === null ? '' : ':'}${target}${e.proto}`;
}

function generate(s: Spec): Generated {
  const w = new Writer(s);
  const target = s.runserver ? 8000 : 80;
  const e = s.entry;
  const extras = (list: string[]): string[] => list.map((x) => x.replace('TARGET', String(target)));
  // Inline and shared: the web scalar itself is anchored and another service aliases it.
  const anchor = s.shared && s.placement === 'inline' ? '&web-port ' : '';
  const tag = s.tagged && e.style === 'short' ? '!!str ' : '';
  const key = (name: string): string => (s.quotedKeys ? `"${name}":` : `${name}:`);
  // Short entry: the whole scalar. Long entry: its published scalar.
  const scalar = e.style === 'short' ? `${e.quote}${shortValue(e, target)}${e.quote}` : `${e.quote}${e.published}${e.quote}`;
  const written = e.style === 'short' ? `${e.quote || '"'}${shortValue(e, target, 80)}${e.quote || '"'}` : `${e.quote}80${e.quote}`;
  const flowLong = (withScalar: boolean): string => {
    if (e.style !== 'long') return '';
    const fields = [`target: ${target}`, `published: ${anchor}${withScalar ? '\u0000' : scalar}`];
    if (e.hostIp) fields.push(`host_ip: "${e.hostIp}"`);
    if (e.protocol) fields.push('protocol: tcp');
    if (e.mode) fields.push('mode: host');
    return `{${fields.join(', ')}}`;
  };
  /** The ports list at `depth` (the key's line already written, ending with `key:`+rest). */
  const portsList = (keyText: string, depth: number): void => {
    const before = extras(s.extrasBefore);
    const after = extras(s.extrasAfter);
    const web = e.style === 'short' ? `${anchor}${tag}\u0000` : flowLong(true);
    if (s.flowList && !s.multilineFlow) {
      w.line(depth, `${keyText} [${[...before, web, ...after].join(', ')}]`, scalar);
      return;
    }
    if (s.flowList) {
      w.line(depth, `${keyText} [`);
      const items = [...before, web, ...after];
      items.forEach((item, i) => w.line(depth + 1, `${item}${i < items.length - 1 ? ',' : ''}`, item === web ? scalar : undefined));
      w.line(depth + 1, ']');
      return;
    }
    w.line(depth, keyText);
    const items = s.compactLists ? depth : depth + 1;
    for (const x of before) w.line(items, `- ${x}`);
    if (e.style === 'short' || e.flow) w.line(items, `- ${web}`, scalar);
    else {
      w.line(items, `- ${key('target')} ${target}`);
      w.line(items, `${key('published')} ${anchor}\u0000`, scalar, 2);
      if (e.hostIp) w.line(items, `host_ip: "${e.hostIp}"`, undefined, 2);
      if (e.protocol) w.line(items, 'protocol: tcp', undefined, 2);
      if (e.mode) w.line(items, 'mode: host', undefined, 2);
    }
    for (const x of after) w.line(items, `- ${x}`);
  };
  const command = (depth: number): void => {
    if (s.runserver) w.line(depth, 'command: python manage.py runserver 0.0.0.0:8000');
  };

  if (s.header === 'directive') w.text += `%YAML 1.2${s.eol}---${s.eol}`;
  if (s.header === 'docStart') w.text += `---${s.eol}`;
  if (s.placement === 'aliasedList') portsList('x-web-ports: &web-ports', 0);
  if (s.placement === 'merge') {
    w.line(0, 'x-django: &django');
    w.line(1, 'image: app:latest');
    portsList(key('ports'), 1);
  }
  if (s.placement === 'aliasedService') {
    w.line(0, 'x-web: &web-service');
    w.line(1, 'build: .');
    command(1);
    portsList(key('ports'), 1);
  }
  w.line(0, 'services:');
  if (s.placement === 'aliasedService') w.line(1, 'web: *web-service');
  else {
    w.line(1, key('web'));
    if (s.placement === 'merge') w.line(2, '<<: *django');
    w.line(2, 'build: .');
    command(2);
    if (s.placement === 'inline') portsList(key('ports'), 2);
    if (s.placement === 'aliasedList') w.line(2, 'ports: *web-ports');
  }
  w.line(1, 'db:');
  w.line(2, 'image: postgres:15');
  w.line(2, `ports: [${s.dbSameText && e.style === 'short' ? scalar : '"5432:5432"'}]`);
  if (s.shared && s.placement === 'aliasedService') w.line(1, 'worker: *web-service');
  else {
    w.line(1, 'worker:');
    w.line(2, 'command: celery worker');
  }
  if (s.shared && s.placement === 'inline') {
    if (e.style === 'short') w.line(2, 'ports: [*web-port]');
    else w.line(2, `ports: [{target: ${target}, published: *web-port}]`);
  }
  if (s.shared && s.placement === 'aliasedList') w.line(2, 'ports: *web-ports');
  if (s.placement === 'merge') {
    w.line(2, '<<: *django');
    if (!s.shared) w.line(2, 'ports: []'); // its own: the base's ports are the web service's alone
  }
  if (s.docEnd) w.text += `...${s.eol}`;
  let text = w.text;
  if (!s.finalEol) text = text.slice(0, -s.eol.length);
  const bom = s.bom ? '\ufeff' : '';
  return { text: bom + text, start: w.start + bom.length, end: w.end + bom.length, written, shared: s.shared };
}

let fuzzed = 0;

describe('compose port edits: properties over generated compose files', () => {
  after(() => {
    addFigure('compose files fuzzed', fuzzed);
    addFigure('bytes lost', 0);
  });

  it('changes only the web port scalar, restores the original bytes, and a second edit changes nothing', function () {
    this.timeout(60_000); // about 3 s: a few YAML parses per file
    fc.assert(
      fc.property(spec, (s) => {
        fuzzed++;
        const g = generate(s);
        const { text } = g;
        const found = findWebPort(text, NAME);
        assert.ok(found.ok, found.ok ? '' : `${found.reason}\n${text}`);
        assert.deepEqual([found.port.start, found.port.end], [g.start, g.end], 'found the web scalar');
        const edited = publishWebPortOn(text, found.port, 80, NAME);
        if (g.shared) {
          assert.ok(!edited.ok, `edited a port shared through an anchor:\n${text}`);
          assert.match(
            edited.reason,
            new RegExp(`^${NAME} line ${found.port.line}: the web service's port .+ is shared through an anchor with services\\.worker\\.ports\\[\\d\\]`),
          );
          assert.ok(edited.reason.includes(found.port.shown));
          return;
        }
        assert.ok(edited.ok, edited.ok ? '' : `${edited.reason}\n${text}`);
        assert.equal(edited.text, text.slice(0, g.start) + g.written + text.slice(g.end), 'every other byte identical');
        assert.equal(restoreWebPort(edited.text, edited.written, found.port.raw), text, 'restore gives the original bytes');
        // What the daemon's second edit (ComposePortEdits.publishOn80) checks: already on 80, nothing to write.
        const again = findWebPort(edited.text, NAME);
        assert.ok(again.ok && again.port.published === 80 && again.port.start === g.start, 'a second edit changes nothing');
      }),
      { numRuns: 1000 },
    );
  });

  /** A generated file made invalid: a second document, an unclosed flow list, or a key given twice. */
  const broken = fc.tuple(spec, fc.constantFrom('second document', 'unclosed flow', 'duplicate key')).map(([s, how]) => {
    const { text } = generate({ ...s, shared: false });
    const body = text.endsWith(s.eol) ? text : text + s.eol;
    const line = body.split(s.eol).length; // the line the appended part starts on
    const tail = how === 'second document' ? `---${s.eol}services: {}${s.eol}` : how === 'unclosed flow' ? `broken: [1, 2${s.eol}` : `services: {}${s.eol}`;
    // After a `...` end marker, whatever follows is a second document.
    return { text: body + tail, how: s.docEnd ? 'second document' : how, line };
  });

  it('refuses a YAML error or several documents with one sentence, in memory and on disk, leaving every byte', async function () {
    this.timeout(60_000);
    const dir = tempFolder('compose-broken');
    try {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(broken, async ({ text, how, line }) => {
          fuzzed++;
          const found = findWebPort(text, NAME);
          assert.ok(!found.ok, `read a broken file (${how}):\n${text}`);
          if (how === 'second document')
            assert.match(
              found.reason,
              new RegExp(
                `^${NAME} line ${line} \\("(---|services: \\{\\}|broken: \\[1, 2)"\\) starts a second YAML document, but compose reads only one; keep the services in one document\\.$`,
              ),
            );
          else assert.match(found.reason, new RegExp(`^${NAME} line \\d+ is not valid YAML: [^\\n]+\\.$`));
          // The daemon's path on a real file, every tenth run (files are slower than strings).
          if (run++ % 10 !== 0) return;
          const project = path.join(dir, String(run));
          mkdirSync(path.join(project, 'home'), { recursive: true });
          const file = path.join(project, NAME);
          writeFileSync(file, text);
          const edits = new ComposePortEdits(path.join(project, 'home'));
          await assert.rejects(edits.publishOn80(file), { message: found.reason });
          assert.equal(readFileSync(file, 'utf8'), text);
          assert.equal(edits.isEdited(file), false);
        }),
        { numRuns: 300 },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
