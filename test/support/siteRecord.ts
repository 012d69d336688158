/** A site as the daemon tells it, for tests of pure logic: nothing but its slug, and what a test gives it. */
import type { Site } from '../../protocol/protocol';

export function siteRecord(slug: string, fields: Partial<Site> = {}): Site {
  return {
    id: null,
    slug,
    name: null,
    domains: { live: null, test: null, local: [] },
    aliases: [],
    autoPopulated: false,
    sources: [],
    fieldSources: {},
    localhostUrl: null,
    portUrl: null,
    ...fields,
  };
}
