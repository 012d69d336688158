/**
 * Hosts mode for compose projects publishes the web service on port 80. This
 * changes exactly one YAML scalar of docker-compose.yml (the published port of
 * the mapping whose container port is the one runserver listens on), spliced
 * into the text so comments, anchors, quoting and layout stay as they were,
 * and puts the original scalar back byte for byte when hosts mode ends.
 * What cannot be changed that way is refused with one sentence naming the
 * file, the line and the value: a variable (`${PORT:-8000}:80`, filled in from
 * an environment the daemon does not see), a range, a port Docker picks, a
 * block scalar, and a port shared through an anchor with another service
 * (an edit there would change both). Every edit is checked by reading the
 * result again: the same mapping, now on the new port, and nothing else changed.
 */
import { isScalar, isSeq, LineCounter } from 'yaml';
import type { Document, Node } from 'yaml';
import { ConfigFileRefused } from '../base/configFile';
import { webService } from './composeFile';
import { parseComposeYaml } from './composeYaml';
import { composeValues, otherChange } from './editScope';
import { readMapping } from './portMapping';
import type { PortMapping, PortValue } from './portMapping';
import { lookup } from './yamlNodes';

export interface PublishedPort {
  service: string;
  /** Which entry of the service's `ports` (as compose reads them, merges expanded) it is. */
  index: number;
  /** The line the scalar is written on (1-based), for sentences. */
  line: number;
  /** Offsets of the scalar that holds the published port in the file's text. */
  start: number;
  end: number;
  /** That scalar as written (quotes included). */
  raw: string;
  /** The mapping as a person recognizes it, for sentences: `"8000:80"`, `published: 8000`. */
  shown: string;
  /** As written: `127.0.0.1`, `[::1]`, `::1`. */
  hostIp: string | null;
  published: number | null;
  target: number;
  style: 'short' | 'long';
  /** Short syntax: what surrounds the published port in the value, as written. */
  short?: { hostPart: string; targetPart: string };
}

export type FindResult = { ok: true; port: PublishedPort } | { ok: false; reason: string };
export type EditResult = { ok: true; text: string; written: string } | { ok: false; reason: string };

/** The container port the web service's runserver listens on (Divio images serve on 80 without a command). */
export function runserverPort(command: unknown): number {
  const words = Array.isArray(command) ? command.map(String) : typeof command === 'string' ? command.split(/\s+/) : [];
  const at = words.indexOf('runserver');
  if (at === -1) return words.length === 0 ? 80 : 8000;
  const address = words.slice(at + 1).find((w) => !w.startsWith('-'));
  const port = address ? /(?:^|:)(\d+)$/.exec(address)?.[1] : undefined;
  return port ? Number(port) : 8000;
}

/** A node's value as plain data (aliases followed), or undefined when it cannot be read. */
function valueOf(doc: Document.Parsed, node: Node | null): unknown {
  if (node === null) return undefined;
  if (isScalar(node)) return node.value;
  try {
    return node.toJS(doc, { maxAliasCount: 100 });
  } catch {
    return undefined;
  }
}

/** Why the text cannot be read as one compose file, or null. */
function yamlProblem(text: string, doc: Document.Parsed, name: string): string | null {
  const error = doc.errors[0];
  if (!error) return null;
  const line = error.linePos?.[0].line ?? 1;
  const shown = JSON.stringify((text.split(/\r?\n/)[line - 1] ?? '').trim().slice(0, 40));
  if (error.code === 'MULTIPLE_DOCS')
    return `${name} line ${line} (${shown}) starts a second YAML document, but compose reads only one; keep the services in one document.`;
  const message = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  return `${name} line ${line} is not valid YAML: ${message.replace(/\.$/, '')}.`;
}

const covers = (value: PortValue, port: number): boolean =>
  (value.kind === 'port' && value.port === port) || (value.kind === 'range' && value.first <= port && port <= value.last);

/** Why `mapping` cannot be the web port read and edited as one number, or null. */
function mappingProblem(mapping: PortMapping, where: string, service: string, target: number): string | null {
  const what = `the ${service} service's port ${mapping.shown}`;
  const example = `"8000:${target}"`;
  const parts = [mapping.published.kind, mapping.target.kind];
  if (parts.includes('variable') || mapping.otherPart === 'variable')
    return `${where}: ${what} is set through a variable, which the daemon cannot read; write the port itself, such as ${example}.`;
  if (parts.includes('invalid') || mapping.otherPart === 'invalid') return `${where}: ${what} is not a port mapping Docker accepts; write it as ${example}.`;
  if (parts.includes('range')) return `${where}: ${what} is a range of ports; give the web port a mapping of its own, such as ${example}.`;
  if (mapping.published.kind === 'none' && mapping.style === 'long')
    return `${where}: ${what} publishes container port ${target} on a port Docker picks at random; give it one, such as published: 8000.`;
  return null;
}

export function findWebPort(text: string, name = 'The compose file'): FindResult {
  let read: Parsed;
  try {
    read = parsed(text, name);
  } catch (error) {
    if (error instanceof ConfigFileRefused) return { ok: false, reason: error.message };
    throw error;
  }
  return webPortIn(read, name);
}

interface Parsed {
  text: string;
  doc: Document.Parsed;
  lines: LineCounter;
}

/** Parsed with merge keys (as compose reads them) and line numbers (for sentences), within bounds (composeYaml.ts). */
function parsed(text: string, name: string): Parsed {
  const lines = new LineCounter();
  return { text, doc: parseComposeYaml(text, name, lines), lines };
}

function webPortIn({ text, doc, lines }: Parsed, name: string): FindResult {
  const refuse = (reason: string): FindResult => ({ ok: false, reason });
  const lineOf = (node: Node | null): number => (node?.range ? lines.linePos(node.range[0]).line : 1);
  const problem = yamlProblem(text, doc, name);
  if (problem) return refuse(problem);
  const web = webService(doc);
  if (!web) return refuse(`${name} has no web service: no service is named web, and it has more than one service (or none).`);
  const target = runserverPort(valueOf(doc, lookup(doc, web.service, 'command')));
  const ports = lookup(doc, web.service, 'ports');
  if (!isSeq(ports) || ports.items.length === 0) return refuse(`${name} line ${lineOf(ports ?? web.service)}: the ${web.name} service publishes no ports.`);

  const mappings = ports.items.map((item) => readMapping(doc, item));
  const tcp = (m: PortMapping | null): m is PortMapping => m !== null && (m.protocol === 'tcp' || m.otherPart !== 'ok');
  // The mapping of runserver's port; else one whose container port is unknown (refused below: it may be that one);
  // else the only mapping there is (runserver's port was only a guess).
  let index = mappings.findIndex((m) => tcp(m) && covers(m.target, target));
  if (index === -1) index = mappings.findIndex((m) => tcp(m) && (m.target.kind === 'variable' || m.target.kind === 'invalid'));
  if (index === -1 && mappings.length === 1 && tcp(mappings[0])) index = 0;
  const mapping = mappings[index] ?? null;
  if (!mapping) return refuse(`${name} line ${lineOf(ports)}: no port of the ${web.name} service maps to container port ${target}, where runserver listens.`);
  const where = `${name} line ${lineOf(mapping.scalar ?? mapping.node)}`;
  const refused = mappingProblem(mapping, where, web.name, target);
  if (refused) return refuse(refused);
  const scalar = mapping.scalar;
  if (!scalar?.range || mapping.target.kind !== 'port') return refuse(`${where}: the ${web.name} service's port ${mapping.shown} cannot be read.`);
  return {
    ok: true,
    port: {
      service: web.name,
      index,
      line: lineOf(scalar),
      start: scalar.range[0],
      end: scalar.range[1],
      raw: text.slice(scalar.range[0], scalar.range[1]),
      shown: mapping.shown,
      hostIp: mapping.hostIp,
      published: mapping.published.kind === 'port' ? mapping.published.port : null,
      target: mapping.target.port,
      style: mapping.style,
      short: mapping.short,
    },
  };
}

/**
 * Where the published port answers: its host IP when it names one address
 * (IPv6 in brackets in URLs), else loopback. `[::1]:8000:80` binds only ::1, so
 * probing 127.0.0.1 there would never see the service.
 */
export function serviceAddress(hostIp: string | null): { host: string; urlHost: string } {
  const bare = hostIp === null ? null : (/^\[(.*)\]$/.exec(hostIp)?.[1] ?? hostIp);
  if (bare === null || bare === '0.0.0.0' || bare === '::') return { host: '127.0.0.1', urlHost: '127.0.0.1' };
  return bare.includes(':') ? { host: bare, urlHost: `[${bare}]` } : { host: bare, urlHost: bare };
}

/** The same scalar with another published port: same quotes, host IP, target and protocol. */
function renderPublished(port: PublishedPort, published: number): string {
  const quote = port.raw[0] === '"' || port.raw[0] === "'" ? port.raw[0] : '';
  if (port.style === 'long' || !port.short) return `${quote}${published}${quote}`;
  // A plain scalar with a colon can read as a number in YAML 1.1 (docker-compose v1): quote new text.
  const mark = quote || '"';
  return `${mark}${port.short.hostPart}${published}:${port.short.targetPart}${mark}`;
}

/**
 * The text with the web port published on `published`, and the scalar that was
 * written; refused (with why) when that cannot be one scalar's change.
 * `forWebOnly`: the text is a copy only the web service is started from (the
 * runner's moved copy), so other services reading the same anchor do not matter.
 */
export function publishWebPortOn(text: string, port: PublishedPort, published: number, name = 'The compose file', forWebOnly = false): EditResult {
  const where = `${name} line ${port.line}`;
  const what = `the ${port.service} service's port ${port.shown}`;
  if (/^[|>]/.test(port.raw))
    return { ok: false, reason: `${where}: ${what} is written as a block scalar; write it on one line, such as "8000:${port.target}".` };
  const written = renderPublished(port, published);
  const edited = text.slice(0, port.start) + written + text.slice(port.end);
  let after: Parsed;
  try {
    after = parsed(edited, name);
  } catch (error) {
    if (error instanceof ConfigFileRefused) return { ok: false, reason: error.message };
    throw error;
  }
  const again = webPortIn(after, name);
  if (!again.ok || again.port.start !== port.start || again.port.raw !== written || again.port.published !== published || again.port.index !== port.index)
    return { ok: false, reason: `${where}: publishing ${what} on ${published} would change more than that port, so ${name} is left as it is.` };
  if (forWebOnly) return { ok: true, text: edited, written };
  let other: string | null;
  try {
    other = otherChange(composeValues(text), composeValues(after.doc), port.service, port.index);
  } catch (error) {
    return { ok: false, reason: `${name} cannot be read whole (${(error as Error).message}), so it is left as it is.` };
  }
  if (other !== null)
    return {
      ok: false,
      reason: `${where}: ${what} is shared through an anchor with ${other}, which would change too; give the ${port.service} service a port mapping of its own.`,
    };
  return { ok: true, text: edited, written };
}

/**
 * Puts `original` back where `written` is now. Returns null when the mapping was
 * changed by someone else since (then it is theirs, and is left alone).
 */
export function restoreWebPort(text: string, written: string, original: string): string | null {
  const found = findWebPort(text);
  if (!found.ok || found.port.raw !== written) return null;
  return text.slice(0, found.port.start) + original + text.slice(found.port.end);
}
