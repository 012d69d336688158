/**
 * Domain names as the config writes them, checked as written and converted to
 * ASCII (punycode for international names) for a hosts file. The text is never
 * reinterpreted: a URL parser given "shop.example/path", "a%2eb.example" or
 * "0x7f.1" returns another name ("shop.example", "a.b.example", "127.0.0.1"),
 * so whatever a parser would read differently is refused with the reason, and
 * what is accepted converts, label by label, to exactly what WHATWG reads.
 * Nothing accepted can break or inject into a hosts file, a header or a shell.
 */
import { domainToASCII, domainToUnicode } from 'node:url';
import { quoted } from '../base/sentence';
import { mixedScripts } from './labelScripts';

export type DomainCheck = { ok: true; ascii: string; port?: number } | { ok: false; reason: string };

export interface DomainOptions {
  /** The text may end in `:port` (a Sites table domain: Django matches it against a Host that carries one). */
  port?: boolean;
}

const MAX_LABEL = 63;
const MAX_NAME = 253;
/** What labels are written with: "-" and the letters, marks and digits of any script (ASCII ones, or an IDN's). */
const LABEL_CHAR = /^[-\p{L}\p{M}\p{N}]$/u;
/** A last label WHATWG reads as a number, which makes the whole name an IPv4 address. */
const NUMERIC = /^(?:\d+|0x[0-9a-f]*)$/i;
const URL_START = /^[a-z][a-z0-9+.-]*:\/\//i;
/** Characters every label may hold (ASCII letters, digits, "-"), the dot and the port's colon. */
const PLAIN = /^[A-Za-z0-9.:-]*$/;

const fail = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });
const codePoint = (c: string): string => `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/** Characters better named than shown between quotes. */
const NAMED: Record<string, string> = { '"': 'a double quote', "'": 'a single quote', '`': 'a backtick', '\\': 'a backslash' };
/** Why a character that means something in URLs or shells is no part of a domain. */
const WHY: Record<string, string> = {
  '/': 'and a domain has no path',
  '%': 'and neither percent-encoding nor a %VARIABLE% is expanded in a domain',
  $: 'and neither a $VARIABLE nor a $(command) is expanded in a domain',
  '@': 'and a domain has no user name',
  '?': 'and a domain has no query',
  '#': 'and a domain has no fragment',
  _: 'which host names cannot hold (RFC 1123)',
};

/** Why the character `c` cannot be in a domain, or null when a label may hold it. */
function characterProblem(c: string): string | null {
  if (c === '.') return null;
  if (c === '\n' || c === '\r') return 'it contains a line break';
  if (/^\s$/u.test(c)) return 'it contains whitespace';
  if (/^\p{C}$/u.test(c)) return `it contains the invisible character ${codePoint(c)}`;
  if (LABEL_CHAR.test(c)) return null;
  const shown = NAMED[c] ?? (c.charCodeAt(0) < 0x80 ? `"${c}"` : `"${c}" (${codePoint(c)})`);
  return `it contains ${shown}, ${WHY[c] ?? 'which a domain cannot hold'}`;
}

/** Splits off `:port` where one is allowed; refuses it, saying so, where not. */
function splitPort(text: string, allowed: boolean): { host: string; port?: number } | { ok: false; reason: string } {
  const colon = text.indexOf(':');
  if (colon === -1) return { host: text };
  const written = text.slice(colon + 1);
  if (!allowed) {
    return /^\d+$/.test(written)
      ? fail(`it names a port (":${written}"), which a domain here cannot carry (the local server's port goes in multisite.json "port")`)
      : fail('it contains ":", which a domain cannot hold');
  }
  const port = /^\d{1,5}$/.test(written) ? Number(written) : 0;
  if (port < 1 || port > 65535) return fail('its port must be a number from 1 to 65535 after a single ":"');
  return { host: text.slice(0, colon), port };
}

/** One label in ASCII as a hosts file holds it: lower case, punycode for international ones. */
function asciiLabel(label: string): { ok: true; ascii: string } | { ok: false; reason: string } {
  const isAscii = [...label].every((c) => c.charCodeAt(0) < 0x80);
  // A label alone could be read as an address ("①" maps to "1"): a fixed last label keeps it a name.
  const ascii = isAscii ? label.toLowerCase() : domainToASCII(`${label}.a`).replace(/\.a$/, '');
  if (!isAscii) {
    if (ascii === '' || ascii.includes('.')) return fail(`its label "${label}" is not a valid international domain label`);
    // UTS #46 maps some letters to others (full-width "ｅ" to "e", "①" to "1"): that is another name than the one written.
    if (!ascii.startsWith('xn--')) return fail(`its label "${label}" is another way of writing "${ascii}", so write "${ascii}"`);
  }
  if (ascii.startsWith('-') || ascii.endsWith('-')) return fail(`its label "${label}" starts or ends with "-"`);
  if (ascii.length > MAX_LABEL)
    return fail(`its label "${label}" is longer than ${MAX_LABEL} characters${isAscii ? '' : ` once encoded (${ascii.length} as punycode)`}`);
  if (ascii.startsWith('xn--')) {
    const unicode = domainToUnicode(ascii);
    if (domainToASCII(ascii) !== ascii || unicode === ascii) return fail(`its label "${label}" is not valid punycode`);
    const mixed = mixedScripts(unicode);
    const shown = isAscii ? `"${label}" ("${unicode}")` : `"${label}"`;
    if (mixed) return fail(`its label ${shown} mixes ${mixed.join(' and ')} letters, as look-alike domains do`);
  }
  return { ok: true, ascii };
}

/** `input` checked as written; when it is a domain, its ASCII form (lower case, punycode, no final dot). */
export function checkDomain(input: string, options: DomainOptions = {}): DomainCheck {
  if (input === '') return fail('it is empty');
  if (URL_START.test(input)) return fail('it is a URL, not a domain: give the name alone');
  // Most domains are plain ASCII names: no character of theirs needs a closer look.
  if (!PLAIN.test(input)) {
    for (const c of input) {
      const problem = c === ':' ? null : characterProblem(c);
      if (problem) return fail(problem);
    }
  }
  const split = splitPort(input, options.port === true);
  if ('ok' in split) return split;
  const host = split.host.replace(/\.$/, '');
  if (host === '') return fail('it is empty');
  const labels = host.split('.');
  if (labels.includes('')) return fail('it has an empty label (a dot at its start or two dots in a row)');
  const ascii: string[] = [];
  for (const label of labels) {
    const converted = asciiLabel(label);
    if (!converted.ok) return converted;
    ascii.push(converted.ascii);
  }
  const name = ascii.join('.');
  if (name.length > MAX_NAME) return fail(`it is longer than ${MAX_NAME} characters`);
  const last = ascii[ascii.length - 1];
  if (NUMERIC.test(last)) {
    if (/^\d+(\.\d+){3}$/.test(name)) return fail('it is an IP address, not a domain');
    const read = domainToASCII(host);
    return fail(`it ends in a number ("${last}"), so browsers read it as ${read ? `the IP address ${read}` : 'an IP address'}, not as a domain`);
  }
  // Rules across labels (right-to-left scripts) and a last guard: what WHATWG reads is what was written.
  if (domainToASCII(host) !== name) return fail('it is not a valid international domain name');
  return split.port === undefined ? { ok: true, ascii: name } : { ok: true, ascii: name, port: split.port };
}

/** `text` between quotes on one line, as a message shows a domain: line breaks and invisible characters as escapes. */
export const quotedDomain = quoted;
