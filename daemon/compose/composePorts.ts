/**
 * Hosts mode for compose projects publishes the web service on port 80. This
 * changes exactly one YAML scalar of docker-compose.yml (the published port of
 * the mapping whose container port is the one runserver listens on), spliced
 * into the text so comments, quoting and layout stay as they were, and puts the
 * original scalar back byte for byte when hosts mode ends.
 */
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Node } from 'yaml';
import { webService } from './composeFile';

export interface PublishedPort {
  service: string;
  /** Offsets of the scalar that holds the published port in the file's text. */
  start: number;
  end: number;
  /** That scalar as written (quotes included). */
  raw: string;
  hostIp: string | null;
  published: number | null;
  target: number;
  style: 'short' | 'long';
}

export type FindResult = { ok: true; port: PublishedPort } | { ok: false; reason: string };

const SHORT = /^(?:(\[[^\]]+\]|\d{1,3}(?:\.\d{1,3}){3}):)?(?:(\d+):)?(\d+)(\/\w+)?$/;

/** The container port the web service's runserver listens on (Divio images serve on 80 without a command). */
export function runserverPort(command: unknown): number {
  const words = Array.isArray(command) ? command.map(String) : typeof command === 'string' ? command.split(/\s+/) : [];
  const at = words.indexOf('runserver');
  if (at === -1) return words.length === 0 ? 80 : 8000;
  const address = words.slice(at + 1).find((w) => !w.startsWith('-'));
  const port = address ? /(?:^|:)(\d+)$/.exec(address)?.[1] : undefined;
  return port ? Number(port) : 8000;
}

function scalarRange(node: Node): [number, number] | null {
  return node.range ? [node.range[0], node.range[1]] : null;
}

export function findWebPort(text: string): FindResult {
  const doc = parseDocument(text);
  if (doc.errors.length) return { ok: false, reason: `the compose file is not valid YAML (${doc.errors[0].message.split('\n')[0]})` };
  const web = webService(doc);
  if (!web) return { ok: false, reason: 'the compose file has no web service' };
  const command: unknown = web.service.get('command', false);
  const target = runserverPort(isSeq(command) || isMap(command) ? (command.toJSON() as unknown) : command);
  const ports = web.service.get('ports', true);
  if (!isSeq(ports) || ports.items.length === 0) return { ok: false, reason: `the ${web.name} service publishes no ports` };

  const candidates: PublishedPort[] = [];
  for (const item of ports.items) {
    if (isScalar(item)) {
      const match = SHORT.exec(String(item.value));
      const range = scalarRange(item);
      if (!match || !range) continue;
      candidates.push({
        service: web.name,
        start: range[0],
        end: range[1],
        raw: text.slice(range[0], range[1]),
        hostIp: match[1] ?? null,
        published: match[2] ? Number(match[2]) : null,
        target: Number(match[3]),
        style: 'short',
      });
    } else if (isMap(item)) {
      const published = item.get('published', true);
      const range = published ? scalarRange(published as Node) : null;
      if (!isScalar(published) || !range) continue;
      const hostIp: unknown = item.get('host_ip');
      candidates.push({
        service: web.name,
        start: range[0],
        end: range[1],
        raw: text.slice(range[0], range[1]),
        hostIp: typeof hostIp === 'string' ? hostIp : null,
        published: Number(published.value),
        target: Number(item.get('target')),
        style: 'long',
      });
    }
  }
  const port = candidates.find((c) => c.target === target) ?? (candidates.length === 1 ? candidates[0] : undefined);
  if (!port) return { ok: false, reason: `no port of the ${web.name} service maps to container port ${target}, where runserver listens` };
  return { ok: true, port };
}

/** The same scalar with another published port: same quotes, host IP, target and protocol. */
function renderPublished(port: PublishedPort, published: number): string {
  const quote = port.raw[0] === '"' || port.raw[0] === "'" ? port.raw[0] : '';
  if (port.style === 'long') return `${quote}${published}${quote}`;
  const inner = quote ? port.raw.slice(1, -1) : port.raw;
  const protocol = /\/\w+$/.exec(inner)?.[0] ?? '';
  const value = `${port.hostIp ? `${port.hostIp}:` : ''}${published}:${port.target}${protocol}`;
  // A plain scalar with a colon can read as a number in YAML 1.1 (docker-compose v1): quote new text.
  return quote ? `${quote}${value}${quote}` : `"${value}"`;
}

/** The text with the web port published on `published`, and the scalar that was written. */
export function publishWebPortOn(text: string, port: PublishedPort, published: number): { text: string; written: string } {
  const written = renderPublished(port, published);
  return { text: text.slice(0, port.start) + written + text.slice(port.end), written };
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
