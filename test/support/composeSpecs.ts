/**
 * Generated compose files for the port edit's properties (composePorts.property.test.ts): a web
 * service's port in every placement, style, quoting and syntax real compose files use, with where its
 * published-port scalar is in the text.
 */
import fc from 'fast-check';

/** The compose file's name the generated files are named by. */
export const NAME = 'docker-compose.yml';

type Quote = '"' | "'" | '';
type Entry =
  | { style: 'short'; quote: Quote; host: string | null; published: number | null; proto: '' | '/tcp' }
  | { style: 'long'; flow: boolean; quote: Quote; published: number; hostIp: string | null; protocol: boolean; mode: boolean };
type Placement = 'inline' | 'aliasedList' | 'merge' | 'aliasedService';

export interface Spec {
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
export interface Generated {
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

/** A compose file to generate: where the web port is and how it is written. */
export const spec: fc.Arbitrary<Spec> = fc.record({
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

/** The compose file's text for `s`, with where the web port's published-port scalar is. */
export function generate(s: Spec): Generated {
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
