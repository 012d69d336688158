/**
 * The warm-sites limit under concurrent cold starts (issue 21, item 2): a
 * 12-site copy of the demo served through the real daemon and real
 * runserver backends, a server per site (`--routing siteId`), with `warmSites` 3. Fifty requests to the twelve sites'
 * `.localhost` addresses at once (a page with many `<img>` from many sites)
 * must never have more than three runserver process groups at any instant
 * (sampled every 100 ms from /proc, not from what the daemon says), each
 * answer is the right site's page or a 503 with Retry-After saying the site
 * is queued (never a 502 or 500), and the current site's backend is never
 * stopped. With `warmSites` 1 the current site holds the only slot: another
 * site's address answers 503 at once.
 */
import * as assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ProjectState, SitesResult, StatusResult, SwitchResult } from '../../protocol/protocol';
import { groupAlive } from '../../daemon/base/processGroup';
import { copyProject, DEMO_SOURCE } from '../support/demoProject';
import { addFigure } from '../support/figures';
import { requestVia } from '../support/http';
import type { Answer } from '../support/http';
import { processGroups } from '../support/processTree';
import { useFreePort } from '../support/useFreePort';
import { useSandbox } from '../support/useSandbox';
import { seededRandom } from '../support/seededRandom';

interface StatusJson extends StatusResult {
  project: ProjectState | null;
}

const SITES = Array.from({ length: 12 }, (_, i) => {
  const n = String(i + 1).padStart(2, '0');
  return { slug: `site${n}`, id: i + 1, name: `Site ${n} News` };
});

const h1 = (body: string): string | null => /<h1 id="site-name">([^<]*)<\/h1>/.exec(body)?.[1] ?? null;

/** A copy of the demo declaring twelve sites (its migration makes their Sites rows); the caller removes it. */
function twelveSiteSource(): string {
  const dir = copyProject(DEMO_SOURCE, false);
  const settings = path.join(dir, 'demo', 'settings.py');
  const declared = SITES.map((s) => `    "${s.slug}": {"id": ${s.id}, "real_domain": "${s.slug}.example", "name": "${s.name}", "aliases": []},`);
  const text = readFileSync(settings, 'utf8').replace(
    /DJANGO_MULTISITE_PLUS_SITES = \{[\s\S]*?\n\}\n/,
    `DJANGO_MULTISITE_PLUS_SITES = {\n${declared.join('\n')}\n}\n`,
  );
  assert.ok(text.includes('site12.example'), 'the demo settings still declare their sites in one block');
  writeFileSync(settings, text);
  return dir;
}

describe('the warm-sites limit under concurrent cold starts (real daemon, 12 sites, real runserver)', function () {
  this.timeout(180_000);
  let source: string | undefined;
  const port = useFreePort(21_500);
  const sandbox = useSandbox(() => ({ requires: ['django'], project: { source: (source = twelveSiteSource()), setup: true }, hookTimeoutMs: 120_000 }));
  after(() => {
    if (source) rmSync(source, { recursive: true, force: true });
  });

  const status = async (): Promise<ProjectState> => {
    const state = (await sandbox().cliJson<StatusJson>(['status'])).project;
    assert.ok(state, 'the project is open');
    for (const b of state.backends) if (b.pid) sandbox().startedGroups.add(b.pid);
    return state;
  };

  /** The process groups of the project's runservers right now, from /proc. */
  const runserverGroups = (): Set<number> => {
    const pids = sandbox()
      .processesInDemo()
      .filter((pid) => {
        try {
          return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('runserver');
        } catch {
          return false;
        }
      });
    return new Set(processGroups(pids).values());
  };

  let sampling: NodeJS.Timeout | undefined;
  afterEach(() => clearInterval(sampling));

  /** Samples the runserver groups every 100 ms until stopped (or the test ends); every group seen is cleaned up by the sandbox. */
  function sample(current: number): { stop(): Promise<{ most: number; counts: number[]; currentGone: boolean }> } {
    const counts: number[] = [];
    let currentGone = false;
    const look = (): void => {
      const groups = runserverGroups();
      for (const g of groups) sandbox().startedGroups.add(g);
      counts.push(groups.size);
      if (!groupAlive(current)) currentGone = true;
    };
    look();
    sampling = setInterval(look, 100);
    return {
      async stop() {
        // A little longer: a start or a stop the answers did not wait for shows up too.
        await new Promise((resolve) => setTimeout(resolve, 1500));
        clearInterval(sampling);
        look();
        return { most: Math.max(...counts), counts, currentGone };
      },
    };
  }

  it('50 concurrent requests to 12 sites with warmSites 3: never more than 3 runservers, no 502/500, the current site never stopped', async () => {
    const switched = await sandbox().cliJson<SwitchResult>(['switch', 'site01', '--port', String(port()), '--warm-sites', '3', '--routing', 'siteId']);
    assert.equal(switched.url, `http://127.0.0.1:${port()}/`);
    const hosts = new Map((await sandbox().cliJson<SitesResult>(['sites'])).sites.map((s) => [s.slug, new URL(s.localhostUrl ?? '').host]));
    assert.equal(hosts.size, 12);
    const current = (await status()).backends.find((b) => b.site === 'site01')?.pid;
    assert.ok(current, 'the current site has its backend');

    const next = seededRandom(21);
    const order = Array.from({ length: 50 }, (_, i) => SITES[i % SITES.length]);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    const sampler = sample(current);
    const answers = await Promise.all(
      order.map((site) =>
        requestVia(port(), hosts.get(site.slug) as string).then(
          (answer): [typeof site, Answer | Error] => [site, answer],
          (error: Error): [typeof site, Answer | Error] => [site, error],
        ),
      ),
    );
    const { most, counts, currentGone } = await sampler.stop();
    addFigure('attacks tried', answers.length);

    const wrong = answers.filter(([site, answer]) => {
      if (answer instanceof Error) return true;
      if (answer.status === 200) return h1(answer.body) !== site.name;
      return !(answer.status === 503 && /^\d+$/.test(String(answer.headers['retry-after'])) && /queued/i.test(answer.body));
    });
    assert.deepEqual(
      wrong.map(
        ([site, answer]) => `${site.slug}: ${answer instanceof Error ? answer.message : `${answer.status} ${/<pre>([^<]*)/.exec(answer.body)?.[1] ?? ''}`}`,
      ),
      [],
      'every answer is the right page, or 503 with Retry-After saying the site is queued',
    );
    assert.ok(most <= 3, `at most 3 runservers at any instant; sampled ${counts.join(' ')}`);
    assert.ok(most >= 2 && counts.length >= 10, `the sampling saw the servers: ${counts.join(' ')}`);
    assert.equal(currentGone, false, 'the current site’s backend was never stopped');
    const served = new Set(answers.filter(([, a]) => !(a instanceof Error) && a.status === 200).map(([site]) => site.slug));
    assert.ok(served.size > 3, `sites took turns (${[...served].join(', ')} answered 200)`);
    const after = await status();
    assert.ok(after.backends.length <= 3, after.backends.map((b) => b.label).join(', '));
    assert.equal(after.backends.find((b) => b.site === 'site01')?.pid, current, 'the current site kept its backend');
  });

  it('with warmSites 1 the current site holds the only slot: another site answers 503 with Retry-After at once, the current one 200', async () => {
    await sandbox().cliJson<SwitchResult>(['switch', 'site01', '--warm-sites', '1', '--routing', 'siteId']);
    const hosts = new Map(
      (await sandbox().cliJson<SitesResult>(['sites', '--warm-sites', '1'])).sites.map((s) => [s.slug, new URL(s.localhostUrl ?? '').host]),
    );
    const current = (await status()).backends.find((b) => b.site === 'site01')?.pid;
    assert.ok(current);
    const sampler = sample(current);
    const started = Date.now();
    const other = await requestVia(port(), hosts.get('site07') as string);
    assert.equal(other.status, 503, other.body.slice(0, 300));
    assert.match(String(other.headers['retry-after']), /^\d+$/);
    assert.match(other.body, /queued/i);
    assert.match(other.body, /warmSites/);
    assert.ok(Date.now() - started < 5000, 'at once: no wait can free the slot the current site holds');
    const own = await requestVia(port(), hosts.get('site01') as string);
    assert.equal(h1(own.body), 'Site 01 News');
    const { most, counts, currentGone } = await sampler.stop();
    addFigure('attacks tried', 1);
    assert.equal(currentGone, false);
    assert.equal(counts[counts.length - 1], 1, 'the other warm backends stopped once the limit was lowered');
    assert.ok(most <= 3, counts.join(' '));
  });
});
