/**
 * Domain names as a hosts file will carry them: converted to ASCII (punycode
 * for international names) and checked against RFC 1123, so nothing that could
 * break or inject into the file ever gets that far.
 */
import { domainToASCII } from 'node:url';

export type DomainCheck = { ok: true; ascii: string } | { ok: false; reason: string };

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

export function checkDomain(input: string): DomainCheck {
  if (/\s/.test(input)) return { ok: false, reason: 'it contains whitespace' };
  if (/[#;&|`$<>()\\'"*?[\]{}]/.test(input)) return { ok: false, reason: 'it contains characters that are not allowed in a domain' };
  const name = input.replace(/\.$/, '');
  if (name === '') return { ok: false, reason: 'it is empty' };
  if (/^\d+(\.\d+){3}$/.test(name)) return { ok: false, reason: 'it is an IP address, not a domain' };
  // WHATWG's domainToASCII does IDNA (punycode) and returns '' for what it cannot convert.
  const ascii = domainToASCII(name);
  if (ascii === '') return { ok: false, reason: 'it is not a valid international domain name' };
  if (ascii.length > 253) return { ok: false, reason: 'it is longer than 253 characters' };
  const bad = ascii.split('.').find((label) => !LABEL.test(label));
  if (bad !== undefined) return { ok: false, reason: `the label "${bad}" is not a valid hostname label (RFC 1123)` };
  return { ok: true, ascii };
}
