/**
 * The routings a person may choose (multisite.json's "routing", the setting, `--routing`), each in a
 * few words, for the sentence that refuses any other value: it lists them all, so a routing added to
 * PROXY_ROUTINGS is named there too.
 */
import { PROXY_ROUTINGS } from './protocol';
import type { ProxyRouting } from './protocol';

const IN_BRIEF: Record<ProxyRouting, string> = {
  siteIdPerRequest: "one server, each request with its site's SITE_ID",
  siteId: 'one server per site',
  host: 'one server, the proxy sets Host',
};

/**
 * `siteIdPerRequest (one server, …), siteId (one server per site) or host (…)`, each value written by
 * `written` (quoted for JSON); `more`: values a client takes besides, with their words.
 */
export function routingChoices(written: (value: string) => string, more: [value: string, brief: string][] = []): string {
  const choices = [...PROXY_ROUTINGS.map((r): [string, string] => [r, IN_BRIEF[r]]), ...more].map(([value, brief]) => `${written(value)} (${brief})`);
  return `${choices.slice(0, -1).join(', ')} or ${choices[choices.length - 1]}`;
}
