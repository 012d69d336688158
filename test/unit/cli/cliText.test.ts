/** `multisite-local status` in words: the local proxy's line says how it reaches the sites under each routing, and why. */
import * as assert from 'node:assert/strict';
import { describeState } from '../../../cli/cliText';
import type { BackendState, ProjectState, Site } from '../../../protocol/protocol';

const beta = { slug: 'beta', id: 2, name: 'Beta Shop' } as Site;
const everySite: BackendState = {
  site: null,
  label: 'every site',
  phase: 'running',
  pid: 41,
  url: 'http://127.0.0.1:8101/',
  rssBytes: null,
  lastUsed: 0,
  error: null,
};

function state(fields: Partial<ProjectState>): ProjectState {
  return {
    project: { root: '/p/demo', name: 'demo' },
    mode: 'env',
    strategy: 'siteIdPerRequest',
    routingReason: 'the settings read SITE_ID from the environment',
    backends: [everySite],
    currentSite: beta,
    server: { phase: 'running', pid: 40, url: 'http://127.0.0.1:8000/', error: null },
    siteUrl: 'http://127.0.0.1:8000/',
    hostsFile: null,
    notes: [],
    interpreter: null,
    settings: null,
    debugging: null,
    ...fields,
  };
}

describe('status in words', () => {
  it('names one server for every site, each request with its SITE_ID, the reason, and the backend', () => {
    const lines = describeState(state({})).split('\n');
    assert.match(lines[0], /^demo: Beta Shop \(SITE_ID=2\), every site at once, server running at http:\/\/127\.0\.0\.1:8000\/ \(pid 40\)$/);
    assert.deepEqual(lines.slice(1), [
      "  the local proxy forwards every site to one server, each request served with its site's SITE_ID (the settings read SITE_ID from the environment); warm backends:",
      '    every site: running at http://127.0.0.1:8101/ (pid 41)',
    ]);
  });

  it('names the other routings by what they do, and no proxy line while one server is restarted per switch', () => {
    const line = (strategy: ProjectState['strategy']): string | undefined =>
      describeState(state({ strategy, routingReason: 'why', backends: [] })).split('\n')[1];
    assert.equal(line('siteId'), '  the local proxy forwards to a warm server per site, each with its SITE_ID (why); warm backends: none');
    assert.equal(line('host'), "  the local proxy sets Host to each site's domain (why); warm backends: none");
    assert.equal(line('restart'), undefined);
  });
});
