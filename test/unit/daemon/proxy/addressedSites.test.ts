/**
 * What a session tells its clients about the sites, pure of any server: each
 * site's `.localhost` address on the port the context gives while the project
 * is served through the proxy, the proxy's notes with the diagnostics, and the
 * sites as read when one server is restarted per switch.
 */
import * as assert from 'node:assert/strict';
import type { ServingStrategy, Site } from '../../../../protocol/protocol';
import { AddressedSites } from '../../../../daemon/proxy/addressedSites';
import type { SiteConfig } from '../../../../daemon/sites/siteConfig';
import { siteRecord } from '../../../support/siteRecord';

const ROOT = '/work/myproj';

const site = (slug: string, domain: string): Site => siteRecord(slug, { domains: { live: domain, test: null, local: [domain] } });

/** Two sites whose settings allow only example.com, so the proxy's names are refused. */
const config = (): SiteConfig => ({
  project: { root: ROOT, name: 'myproj' },
  settings: { module: 'proj.settings', from: 'manage.py:1', file: `${ROOT}/proj/settings.py`, others: [] },
  settingsLocation: {
    module: 'proj.settings',
    from: 'manage.py:1',
    declaredIn: null,
    file: `${ROOT}/proj/settings.py`,
    isPackage: false,
    passed: true,
    chosen: false,
    searchPath: [ROOT],
    others: [],
    files: [],
    refused: [],
  },
  settingsFiles: [`${ROOT}/proj/settings.py`],
  sites: [site('alpha', 'alpha.example'), site('beta', 'beta.example')],
  diagnostics: [{ severity: 'info', message: 'read', file: null, line: null }],
  forcedSiteId: null,
  options: { port: null, runner: null, sharedDatabase: [], warmSites: null, sitePorts: null, routing: null },
  sitesTableRead: false,
  sitesSought: [],
  searched: { settingsModule: null, interpreter: null, frameworks: null, djangoNotRead: 'untrusted' },
  django: null,
  watchFiles: [],
  servingFacts: {
    siteIdFromEnvironment: null,
    allowedHosts: { value: ['example.com'], file: `${ROOT}/proj/settings.py`, line: 3, label: 'proj/settings.py:3' },
    allowedHostsComputed: null,
    debug: true,
    useXForwardedHost: null,
    csrfTrustedOrigins: null,
  },
});

describe('AddressedSites', () => {
  let strategy: ServingStrategy;
  let port: number;
  let read: SiteConfig | null;
  /** The ports the proxy opened for the sites (sitePorts.ts), by slug. */
  const ownPorts = new Map([['alpha', 8124]]);
  const addressed = new AddressedSites({
    root: ROOT,
    config: () => read,
    strategy: () => strategy,
    port: () => port,
    djangoMajor: () => 5,
    portUrl: (s) => (ownPorts.has(s.slug) ? `http://127.0.0.1:${ownPorts.get(s.slug)}/` : null),
  });

  beforeEach(() => {
    strategy = 'siteId';
    port = 8123;
    read = config();
  });

  it('gives each site its .localhost address on the port of the moment, and adds the proxy notes to the diagnostics', () => {
    const told = addressed.withAddresses(read!);
    assert.deepEqual(
      told.sites.map((s) => s.localhostUrl),
      ['http://alpha.myproj.localhost:8123/', 'http://beta.myproj.localhost:8123/'],
    );
    assert.deepEqual(
      told.sites.map((s) => s.portUrl),
      ['http://127.0.0.1:8124/', null],
      'a site with a port of its own is told it; one without, none',
    );
    assert.equal(told.diagnostics[0].message, 'read');
    assert.deepEqual(
      told.diagnostics.slice(1).map((d) => d.code),
      ['allowed-hosts'],
    );
    assert.deepEqual(told.diagnostics.slice(1), addressed.notes());
    port = 8200;
    assert.equal(addressed.addressOf()(read!.sites[1]), 'http://beta.myproj.localhost:8200/');
    assert.equal(addressed.addressOf()(site('gamma', 'gamma.example')), null, 'a site of no read has no address');
  });

  it('tells the sites as read, without addresses or notes, when one server is restarted per switch', () => {
    strategy = 'restart';
    const result = read!;
    assert.equal(addressed.withAddresses(result), result);
    assert.deepEqual(addressed.notes(), []);
    assert.equal(addressed.addressOf()(result.sites[0]), null);
    assert.equal(addressed.addressed(result.sites[0]).portUrl, null, 'no port of its own without the proxy');
  });

  it('has no address and no note before the sites were read', () => {
    read = null;
    assert.deepEqual(addressed.notes(), []);
    assert.equal(addressed.addressOf()(site('alpha', 'alpha.example')), null);
  });
});
