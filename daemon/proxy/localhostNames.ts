/**
 * The `.localhost` names the proxy answers to: `<site>.<project>.localhost`.
 * Browsers and curl resolve every `*.localhost` name to loopback by
 * themselves, so these need no hosts entry. Both parts are DNS labels made
 * from what people already call them (the site's slug, the project's
 * folder): lower case, `_` and other characters a label cannot hold as `-`,
 * non-ASCII letters in punycode. Two slugs that give one label are told
 * apart by a number, so every site keeps an address of its own.
 */
import * as path from 'node:path';
import { domainToASCII } from 'node:url';

/** The longest DNS label (RFC 1035). */
const MAX_LABEL = 63;

/** `text` as one DNS label, or `fallback` when nothing of it can be one. */
export function dnsLabel(text: string, fallback: string): string {
  const spelled = text
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}-]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  const ascii = /^[a-z0-9-]*$/.test(spelled) ? spelled : asciiLabel(spelled);
  const label = ascii.slice(0, MAX_LABEL).replace(/-+$/, '');
  return label || fallback;
}

/** Punycode for a label with letters outside ASCII; what cannot be encoded becomes `-`. */
function asciiLabel(label: string): string {
  // UTS 46 maps some letters to punctuation (`⑴` to `(1)`): such an encoding is no label.
  const encoded = domainToASCII(label);
  if (/^[a-z0-9-]+$/.test(encoded)) return encoded;
  return label.replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
}

export interface LocalhostNames {
  /** The project's label: `<project>` in `<site>.<project>.localhost`. */
  project: string;
  /** Each site's label, by slug. */
  sites: Map<string, string>;
}

/** The labels of a project (named for its folder) and of its sites, in the order given; each distinct. */
export function localhostNames(root: string, slugs: readonly string[]): LocalhostNames {
  const project = dnsLabel(path.basename(root), 'project');
  const taken = new Set<string>();
  const sites = new Map<string, string>();
  for (const slug of slugs) {
    const base = dnsLabel(slug, 'site');
    let label = base;
    for (let n = 2; taken.has(label); n++) label = `${base.slice(0, MAX_LABEL - String(n).length - 1)}-${n}`;
    taken.add(label);
    sites.set(slug, label);
  }
  return { project, sites };
}

/** The address of a site's label through the proxy on `port`. */
export function localhostUrl(siteLabel: string, projectLabel: string, port: number): string {
  return `http://${siteLabel}.${projectLabel}.localhost:${port}/`;
}
