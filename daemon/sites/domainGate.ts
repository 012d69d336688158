/**
 * The one gate for every domain a project configures: a real_domain or an
 * alias in the settings, the environment (.env-local, .env, compose), the
 * rewrite format's result, a Sites table row, multisite.json's "test" and
 * "local". Each is checked as written (checkDomain); one that is no domain is
 * reported once, in one sentence naming it, its site and where it is
 * configured, and left out of the sites: never reinterpreted, never half-used.
 */
import { checkDomain, quotedDomain } from './domainName';
import type { DomainOptions } from './domainName';
import type { Report } from './settingValues';

/** Where a domain is configured: the file and line to point at, and how people name that place. */
export interface DomainPlace {
  file: string | null;
  line: number | null;
  /** `proj/settings.py:4`, `Sites table`, `default rewrite format`. */
  label: string;
}

/** A domain that passed the gate: as written (what people see), and in ASCII (hosts file, Host header). */
export interface GatedDomain {
  written: string;
  ascii: string;
}

/** Checks domains `(text, slug, place)`, reporting through `report` each refusal once. */
export type DomainGate = (text: string, slug: string, place: DomainPlace, options?: DomainOptions) => GatedDomain | null;

export function domainGate(report: Report): DomainGate {
  const reported = new Set<string>();
  return (text, slug, place, options = {}) => {
    const checked = checkDomain(text, options);
    if (checked.ok) return { written: text, ascii: checked.ascii };
    const message = `Domain ${quotedDomain(text)} of site ${quotedDomain(slug)} (${place.label}) cannot be used: ${checked.reason}.`;
    // The same text can reach the gate twice (a real_domain is also the Sites table domain): one sentence.
    const key = `${place.file}\0${place.line}\0${message}`;
    if (!reported.has(key)) {
      reported.add(key);
      // Listed by the doctor's invalid-domain check; hosts entries wait until it is fixed (configGate.ts).
      report('warning', message, place.file, place.line, 'invalid-domain');
    }
    return null;
  };
}
