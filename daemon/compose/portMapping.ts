/**
 * One entry of a service's `ports`, read the way Docker reads it, in both of
 * compose's syntaxes:
 * - short: `"[HOST_IP:][PUBLISHED:]TARGET[/PROTOCOL]"` (or a bare number), where
 *   the host IP may be IPv4, `[IPv6]` or bare IPv6 (Docker takes everything
 *   before the last two colons), and ports may be ranges (`8000-8001:80-81`);
 * - long: a map with `target`, `published`, `host_ip`, `protocol`, `mode`.
 * Any part may be a compose variable (`${PORT:-8000}`), which compose fills in
 * from an environment the daemon does not see: such a part is only known to
 * be a variable. Each entry keeps the node its published port is written in,
 * so the port editor can change that one scalar.
 */
import { isIP } from 'node:net';
import { isMap, isScalar } from 'yaml';
import type { Document, Node, Scalar, YAMLMap } from 'yaml';
import { lookup, resolved } from './yamlNodes';

export type PortValue =
  | { kind: 'port'; port: number }
  | { kind: 'range'; first: number; last: number }
  /** Set through a compose variable. */
  | { kind: 'variable' }
  /** Not given: Docker picks a free host port. */
  | { kind: 'none' }
  | { kind: 'invalid' };

export interface PortMapping {
  style: 'short' | 'long';
  /** As written (`127.0.0.1`, `[::1]`, `::1`), null when not given. */
  hostIp: string | null;
  published: PortValue;
  target: PortValue;
  /** Lower case; `tcp` when not given. */
  protocol: string;
  /** Whether the host IP or protocol is a variable or not one Docker accepts. */
  otherPart: 'ok' | 'variable' | 'invalid';
  /** The scalar holding the published port (the whole entry in the short syntax); null when the long syntax gives none. */
  scalar: Scalar | null;
  /** The node of the whole entry, for its line. */
  node: Node;
  /** The entry as a person recognizes it, for sentences: `"8000:80"`, `published: "8000-8001"`. */
  shown: string;
  /** Short syntax: the parts around the published port, as written, to write it again with another. */
  short?: { hostPart: string; targetPart: string };
}

const VARIABLE = /\$(?:\{[^}]*\}|\w+)/g;
const PROTOCOLS = new Set(['tcp', 'udp', 'sctp']);

/** A port or range as written; `$` anywhere means a compose variable. */
export function portValue(text: string): PortValue {
  if (text === '') return { kind: 'none' };
  if (text.includes('$')) return { kind: 'variable' };
  const port = (digits: string): number | null => (/^\d{1,5}$/.test(digits) && Number(digits) >= 1 && Number(digits) <= 65535 ? Number(digits) : null);
  const single = port(text);
  if (single !== null) return { kind: 'port', port: single };
  const range = /^(\d+)-(\d+)$/.exec(text);
  const first = range ? port(range[1]) : null;
  const last = range ? port(range[2]) : null;
  if (first !== null && last !== null && first <= last) return { kind: 'range', first, last };
  return { kind: 'invalid' };
}

function hostIpProblem(hostIp: string | null): PortMapping['otherPart'] {
  if (hostIp === null) return 'ok';
  if (hostIp.includes('$')) return 'variable';
  const bare = /^\[(.*)\]$/.exec(hostIp)?.[1] ?? hostIp;
  const version = isIP(bare.replace(/%.*$/, ''));
  // Brackets only around IPv6.
  return version === 6 || (version === 4 && bare === hostIp) ? 'ok' : 'invalid';
}

/** The short syntax's parts, split as Docker's ParsePortSpec does (variables first masked, so their `:-` stays whole). */
function readShort(value: string, scalar: Scalar, node: Node): PortMapping {
  const variables: string[] = [];
  const masked = value.replace(VARIABLE, (variable) => `$${variables.push(variable) - 1}$`);
  const unmask = (part: string): string => part.replace(/\$(\d+)\$/g, (_, i: string) => variables[Number(i)]);
  const slash = masked.lastIndexOf('/');
  const spec = slash === -1 ? masked : masked.slice(0, slash);
  const protocol = slash === -1 ? 'tcp' : unmask(masked.slice(slash + 1)).toLowerCase();
  const parts = spec.split(':');
  const target = unmask(parts[parts.length - 1]);
  const published = parts.length >= 2 ? unmask(parts[parts.length - 2]) : '';
  const hostIp = parts.length >= 3 ? unmask(parts.slice(0, -2).join(':')) : null;
  const hostProblem = hostIpProblem(hostIp);
  const protocolProblem = protocol.includes('$') ? 'variable' : PROTOCOLS.has(protocol) ? 'ok' : 'invalid';
  const targetEnd = value.length - (slash === -1 ? 0 : unmask(masked.slice(slash)).length);
  return {
    style: 'short',
    hostIp,
    published: portValue(published),
    target: portValue(target),
    protocol,
    otherPart: hostProblem !== 'ok' ? hostProblem : protocolProblem,
    scalar,
    node,
    shown: JSON.stringify(value),
    short: { hostPart: hostIp === null ? '' : `${hostIp}:`, targetPart: value.slice(targetEnd - target.length) },
  };
}

/** A scalar's value as compose reads a port (numbers and strings alike); null when absent. */
function scalarText(node: Node | null): string | null {
  if (node === null) return null;
  // A map, a list, a boolean or a date where a port belongs: invalid.
  if (!isScalar(node)) return '\0';
  const value = node.value;
  if (value === null || value === undefined) return null;
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '\0';
}

function readLong(doc: Document.Parsed, map: YAMLMap): PortMapping {
  const publishedNode = lookup(doc, map, 'published');
  const published = scalarText(publishedNode);
  const target = scalarText(lookup(doc, map, 'target'));
  const hostIp = scalarText(lookup(doc, map, 'host_ip'));
  const protocol = (scalarText(lookup(doc, map, 'protocol')) ?? 'tcp').toLowerCase();
  const hostProblem = hostIpProblem(hostIp);
  const protocolProblem = protocol.includes('$') ? 'variable' : PROTOCOLS.has(protocol) ? 'ok' : 'invalid';
  return {
    style: 'long',
    hostIp,
    published: published === null ? { kind: 'none' } : portValue(published),
    target: target === null ? { kind: 'invalid' } : portValue(target),
    protocol,
    otherPart: hostProblem !== 'ok' ? hostProblem : protocolProblem,
    scalar: isScalar(publishedNode) && published !== null ? publishedNode : null,
    node: map,
    shown: published === null ? `target: ${JSON.stringify(target)}` : `published: ${JSON.stringify(published)}`,
  };
}

/** One `ports` entry (aliases followed); null when it is neither a string, a number nor a map. */
export function readMapping(doc: Document.Parsed, item: unknown): PortMapping | null {
  const node = resolved(doc, item);
  if (isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number')) return readShort(String(node.value), node, node);
  if (isMap(node)) return readLong(doc, node);
  return null;
}
