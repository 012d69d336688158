/**
 * The doctor's checks, pure parts: each finding one sentence a person can act
 * on, pinned to its file and line where there is one, at the severity the
 * mode checked gives it (config-error, invalid-domain and runDoctor: runDoctor.test.ts).
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { allowedHostsFindings } from '../../../../daemon/doctor/checks/allowedHosts';
import { csrfFindings } from '../../../../daemon/doctor/checks/csrfTrustedOrigins';
import { dockerFinding } from '../../../../daemon/doctor/checks/docker';
import { forcedSiteIdFindings } from '../../../../daemon/doctor/checks/forcedSiteId';
import { noInterpreterFinding } from '../../../../daemon/doctor/checks/interpreter';
import { portTakenFinding } from '../../../../daemon/doctor/checks/portTaken';
import { disagreementFindings } from '../../../../daemon/doctor/checks/sourcesDisagree';
import { hostsFile as hostsFileCheck } from '../../../../daemon/doctor/checks/hostsFile';
import { staleBlockFindings, staleHostsEntries } from '../../../../daemon/doctor/checks/staleHostsEntries';
import { userHostsLines, userLineFindings } from '../../../../daemon/doctor/checks/userHostsLines';
import { runDoctor } from '../../../../daemon/doctor/doctor';
import type { DoctorContext } from '../../../../daemon/doctor/doctorCheck';
import { HostsEntries } from '../../../../daemon/hosts/hostsEntries';
import type { HostsSurvey } from '../../../../daemon/hosts/hostsEntries';
import type { DoctorFinding } from '../../../../protocol/protocol';
import { choosePort } from '../../../../daemon/runners/freePort';
import { portHolder } from '../../../../daemon/runners/portOwner';
import { readSiteConfig } from '../../../../daemon/sites/siteConfig';
import type { SiteConfig } from '../../../../daemon/sites/siteConfig';

const FIXTURE = path.resolve(__dirname, '../../../fixtures/forced-site-id');
const SETTINGS = path.join(FIXTURE, 'forcedsite', 'settings.py');
const DOMAINS = ['north-news.example', 'south-shop.example', 'east-blog.example'];

/** One sentence: a capital, no sentence break inside, a final period. */
function assertOneSentence(finding: DoctorFinding): void {
  assert.match(finding.message, /^[A-Z/a-z].*\.$/, finding.message);
  assert.doesNotMatch(finding.message, /[.!?]\s+[A-Z]/, finding.message);
}

describe('doctor checks', () => {
  let config: SiteConfig;
  before(async () => (config = await readSiteConfig(FIXTURE)));

  describe('forced-site-id', () => {
    it('is an error in hosts mode, at the literal, with the SITE_ID mode fix', () => {
      const [finding, ...rest] = forcedSiteIdFindings(config, FIXTURE, 'hosts', 'restart');
      assert.deepEqual(rest, []);
      assert.equal(finding.severity, 'error');
      assert.equal(finding.file, SETTINGS);
      assert.equal(finding.line, 17);
      assert.deepEqual(finding.fix, { kind: 'useEnvMode', title: 'Leave Hosts Mode' });
      assert.match(finding.message, /^forcedsite\/settings\.py:17 forces SITE_ID=1, which breaks hosts mode/);
      assertOneSentence(finding);
    });

    it('is an error in SITE_ID mode too, whatever serves it, where the settings do not read SITE_ID from the environment', () => {
      for (const strategy of ['host', 'siteId', 'restart'] as const) {
        const [finding, ...rest] = forcedSiteIdFindings(config, FIXTURE, 'env', strategy);
        assert.deepEqual(rest, []);
        assert.equal(finding.severity, 'error', strategy);
        assert.equal(finding.fix, undefined);
        assert.match(
          finding.message,
          /^forcedsite\/settings\.py:17 forces SITE_ID=1 and nothing picks the site by the request's Host, so every site is served as site 1 and switching cannot work/,
        );
        assertOneSentence(finding);
      }
      const readsEnvironment = { ...config, servingFacts: { ...config.servingFacts, siteIdFromEnvironment: { file: SETTINGS, line: 20 } } };
      assert.deepEqual(forcedSiteIdFindings(readsEnvironment, FIXTURE, 'env', 'siteId'), []);
      assert.deepEqual(forcedSiteIdFindings(readsEnvironment, FIXTURE, 'env', 'restart'), []);
      assert.deepEqual(forcedSiteIdFindings({ ...config, forcedSiteId: null }, FIXTURE, 'hosts', 'restart'), []);
    });
  });

  describe('allowed-hosts', () => {
    it("lists the sites' domains ALLOWED_HOSTS refuses in hosts mode, at the setting's line", () => {
      const [finding, ...rest] = allowedHostsFindings(config, 'hosts', 'restart', 3);
      assert.deepEqual(rest, []);
      assert.equal(finding.severity, 'error');
      assert.equal(finding.file, SETTINGS);
      assert.equal(finding.line, 15);
      for (const domain of DOMAINS) assert.ok(finding.message.includes(domain), finding.message);
      assertOneSentence(finding);
    });

    it('says "and N more" past a few names', () => {
      const many = {
        ...config,
        sites: Array.from({ length: 6 }, (_, i) => ({ ...config.sites[0], slug: `s${i}`, domains: { ...config.sites[0].domains, local: [`s${i}.example`] } })),
      };
      const [finding] = allowedHostsFindings(many, 'hosts', 'restart', 3);
      assert.match(finding.message, /s0\.example, s1\.example, s2\.example and 3 more \(/);
    });

    it('checks the bare address of a restarted runserver, and has nothing to say when everything is allowed', () => {
      const [finding] = allowedHostsFindings(config, 'env', 'restart', 3);
      assert.match(finding.message, /does not match 127\.0\.0\.1 \(the address runserver serves\)/);
      const star = { ...config, servingFacts: { ...config.servingFacts, allowedHosts: { ...config.servingFacts.allowedHosts!, value: ['*'] } } };
      for (const [mode, strategy] of [
        ['hosts', 'restart'],
        ['env', 'restart'],
        ['env', 'host'],
        ['env', 'siteId'],
      ] as const) {
        assert.deepEqual(allowedHostsFindings(star, mode, strategy, 3), [], `${mode} ${strategy}`);
      }
    });
  });

  describe('csrf-trusted-origins', () => {
    const origins = (value: string[]): SiteConfig => ({
      ...config,
      servingFacts: { ...config.servingFacts, csrfTrustedOrigins: { value, file: SETTINGS, line: 30, label: 'forcedsite/settings.py:30' } },
    });

    it('reports entries without a scheme on Django 4 and later (they stop the server at start)', () => {
      const [finding] = csrfFindings(origins(['north-news.example', 'https://ok.example']), 'hosts', 'restart', 4);
      assert.equal(finding.severity, 'error');
      assert.equal(finding.line, 30);
      assert.match(finding.message, /lists "north-news\.example" without a scheme, which Django 4 refuses at start/);
      assertOneSentence(finding);
      assert.deepEqual(csrfFindings(origins(['north-news.example']), 'hosts', 'restart', 3), [], 'Django 3 takes bare names');
      assert.deepEqual(csrfFindings(origins(['north-news.example']), 'hosts', 'restart', null), [], 'unknown version: not certain');
    });

    it('finds nothing in hosts mode on any port: the Origin carries the same host and port as Host', () => {
      assert.deepEqual(csrfFindings(config, 'hosts', 'restart', 5), []);
      assert.deepEqual(csrfFindings(origins([]), 'hosts', 'restart', 5), []);
    });
  });

  describe('port-taken', () => {
    let server: Server;
    before((done) => {
      server = createServer().listen(0, '127.0.0.1', () => done());
    });
    after((done) => void server.close(() => done()));

    it('names the holder of a port (pid and command line) and nobody for a free one', async () => {
      const port = (server.address() as { port: number }).port;
      const holder = await portHolder(port);
      assert.ok(holder !== null && holder !== 'unseen');
      assert.equal(holder.pid, process.pid);
      const finding = portTakenFinding(port, 'env', holder, -1);
      assert.match(finding.message, new RegExp(`^Port ${port} is in use by pid ${process.pid} \\(.*node`));
      assertOneSentence(finding);
      assert.match(portTakenFinding(port, 'env', holder).message, /in use by this daemon \(serving another project\)/);
      const free = await choosePort(0);
      assert.equal(await portHolder(free), null);
      assert.match(portTakenFinding(80, 'hosts', 'unseen').message, /^Port 80 is in use by a process this user cannot see, so in hosts mode/);
    });
  });

  describe('interpreter and docker', () => {
    it('lists every candidate tried, and says what is missing for compose', () => {
      const finding = noInterpreterFinding(['/p/.venv/bin/python (.venv: not found)', 'python3 (PATH: cannot import django)']);
      assert.match(finding.message, /tried \/p\/\.venv\/bin\/python \(\.venv: not found\), python3 \(PATH: cannot import django\)\)/);
      for (const f of [
        finding,
        dockerFinding('cli'),
        dockerFinding('engine', 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?'),
      ]) {
        assert.equal(f.severity, 'error');
        assertOneSentence(f);
      }
      assert.match(
        dockerFinding('engine', 'Cannot connect to the Docker daemon at unix:///x.sock. Is it running?').message,
        /\(Cannot connect to the Docker daemon at unix:\/\/\/x\.sock\), so/,
      );
    });
  });

  describe('hosts file', () => {
    let dir: string;
    before(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'msl-doctor-'))));
    after(() => rmSync(dir, { recursive: true, force: true }));

    it("finds blocks of projects not open here at their line, and the user's lines for our names grouped by line", async () => {
      const file = path.join(dir, 'hosts');
      writeFileSync(
        file,
        '127.0.0.1 localhost\r\n' +
          '10.0.0.1 south-shop.example east-blog.example # mine\r\n' +
          '# >>> multisite-local 0123abcd /gone/project >>>\r\n127.0.0.1\told.example\r\n::1\told.example\r\n# <<< multisite-local 0123abcd <<<\r\n' +
          '# >>> multisite-local 4567cdef /open/project >>>\r\n127.0.0.1\tsouth-shop.example\r\n# <<< multisite-local 4567cdef <<<\r\n',
      );
      const survey: HostsSurvey = await new HostsEntries(dir).survey(file, DOMAINS);
      const stale = staleBlockFindings(survey, new Set(['/open/project']));
      assert.deepEqual(
        stale.map((f) => [f.file, f.line, f.severity, f.fix?.kind]),
        [[file, 3, 'warning', 'cleanUpHosts']],
      );
      assert.match(stale[0].message, /:3 still points old\.example at this machine for \/gone\/project, which is not open here/);
      const user = userLineFindings(survey, 'hosts');
      assert.deepEqual(
        user.map((f) => [f.line, f.severity]),
        [[2, 'warning']],
        "our own block is not the user's line",
      );
      assert.match(
        user[0].message,
        /:2 maps south-shop\.example and east-blog\.example itself \("10\.0\.0\.1 south-shop\.example east-blog\.example # mine"\)/,
      );
      assert.equal(userLineFindings(survey, 'env')[0].severity, 'info');
      for (const f of [...stale, ...user]) assertOneSentence(f);
    });

    it('says once, as an error in hosts mode, that the hosts file is missing or no file (the other hosts checks stay quiet)', async () => {
      const entries = new HostsEntries(dir);
      const doctorOn = (file: string, mode: 'env' | 'hosts'): Promise<DoctorFinding[]> => {
        const context = { mode, openRoots: new Set<string>(), hostsFile: file, hostsSurvey: () => entries.survey(file, DOMAINS) };
        return runDoctor(context as unknown as DoctorContext, [hostsFileCheck, staleHostsEntries, userHostsLines]).then((r) => r.findings);
      };
      const missing = path.join(dir, 'no-such-hosts');
      const [finding, ...rest] = await doctorOn(missing, 'hosts');
      assert.deepEqual(rest, []);
      assert.deepEqual([finding.code, finding.severity], ['hosts-file', 'error']);
      assert.match(
        finding.message,
        new RegExp(`^The hosts file ${missing} does not exist, so hosts mode cannot point this project's domains at this machine: create it`),
      );
      assertOneSentence(finding);
      const folder = await doctorOn(dir, 'hosts');
      assert.deepEqual(
        folder.map((f) => [f.code, f.severity]),
        [['hosts-file', 'error']],
      );
      assert.match(folder[0].message, /is a folder, not a regular file/);
      assert.deepEqual(await doctorOn(missing, 'env'), [], 'SITE_ID mode does not use the hosts file');
    });
  });

  describe('sources-disagree', () => {
    it('lists the diagnostics of sources that disagree, as found, and no other', () => {
      const findings = disagreementFindings([
        { severity: 'warning', message: 'Site "a" has id 1 in s.py:2 but id 7 in .env:1.', file: '/p/.env', line: 1, code: 'sources-disagree' },
        { severity: 'warning', message: 'Something else.', file: null, line: null },
      ]);
      assert.deepEqual(findings, [
        { code: 'sources-disagree', severity: 'warning', message: 'Site "a" has id 1 in s.py:2 but id 7 in .env:1.', file: '/p/.env', line: 1 },
      ]);
    });
  });
});
