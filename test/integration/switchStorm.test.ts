/**
 * A storm of switches from several clients at once (real daemon over its real
 * socket, real runserver serving the demo): in waves, every client sends
 * SwitchSite one after the other as fast as it is answered, with OpenSite and
 * StopServer mixed in, so requests supersede one another, stops land on
 * starting backends and opens race switches; between waves the last switch
 * can finish. Afterwards the daemon must hold exactly
 * what it says it serves: one server (or at most the pool's bound of warm
 * backends) whose process groups are its only children, no other process in
 * the project, its journal naming exactly those groups, the status naming the
 * last site requested, and after a stop no process and no file descriptor
 * more than before the storm. Both ways of serving: the proxy with three warm
 * backends, and one runserver restarted per switch.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { DaemonLink } from '../../client/daemonLink';
import { DaemonErrorCode, GetStatus, OpenProject, OpenSite, ServerLog, StopServer, SwitchSite } from '../../protocol/protocol';
import type { ProjectState } from '../../protocol/protocol';
import { addFigure } from '../support/figures';
import { sleep } from '../support/processes';
import { childrenOf, fdKinds, openFds, processGroups } from '../support/processTree';
import { useFreePort } from '../support/useFreePort';
import { useSandbox } from '../support/useSandbox';
import { seededRandom } from '../support/seededRandom';

type Op = { kind: 'switch' | 'open'; site: string } | { kind: 'stop' };

interface Answer {
  op: Op;
  /** Order in which answers reached the test (one process, so one order for every client). */
  order: number;
  /** Null when it succeeded. */
  code: number | null;
  message: string;
}

const SITES = ['alpha', 'beta', 'gamma'];
const CLIENTS = 5;

/** What one storm sends: `switches` SwitchSite in all, `opens` OpenSite and `stops` StopServer among them. */
interface Storm {
  switches: number;
  opens: number;
  stops: number;
  /** Within a wave every client sends as fast as it is answered; between two all is quiet, so a switch can finish. */
  waves: number;
}

/** Every wave's requests, per client, every client's last request in a wave a switch (see lastRequested). */
function plan(seed: number, { switches, opens, stops, waves }: Storm): Op[][][] {
  const next = seededRandom(seed);
  const site = (): string => SITES[Math.floor(next() * SITES.length)];
  const ops: Op[] = [
    ...Array.from({ length: switches - CLIENTS * waves }, (): Op => ({ kind: 'switch', site: site() })),
    ...Array.from({ length: opens }, (): Op => ({ kind: 'open', site: site() })),
    ...Array.from({ length: stops }, (): Op => ({ kind: 'stop' })),
  ];
  for (let i = ops.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [ops[i], ops[j]] = [ops[j], ops[i]];
  }
  return Array.from({ length: waves }, (_, wave) =>
    Array.from({ length: CLIENTS }, (_, client) => [
      ...ops.filter((_, i) => i % (CLIENTS * waves) === wave * CLIENTS + client),
      { kind: 'switch', site: site() } satisfies Op,
    ]),
  );
}

/**
 * The site the status must name: the last switch answered without Superseded. Every client ends
 * each wave with a switch, so the request the daemon took last is a switch nothing came after to supersede;
 * a switch superseded by a stop changes the current site too, but one of those switches follows it.
 * Where the project is served by restarts, an open is a switch (the only way its site can answer).
 */
function lastRequested(answers: Answer[], restart: boolean): string {
  const switched = answers.filter((a) => a.code === null && (a.op.kind === 'switch' || (restart && a.op.kind === 'open')));
  const last = switched.sort((a, b) => b.order - a.order)[0];
  assert.ok(last && last.op.kind !== 'stop', 'at least one switch was served');
  return last.op.site;
}

/**
 * The daemon's descriptors once they stop changing: sockets to stopped backends close as the
 * daemon reads their end, so two looks a moment apart must agree (within ten seconds).
 */
async function settledFds(pid: number): Promise<Map<number, string>> {
  let before = openFds(pid);
  for (let look = 0; look < 30; look++) {
    await sleep(300);
    const now = openFds(pid);
    if (JSON.stringify([...now]) === JSON.stringify([...before])) return now;
    before = now;
  }
  return before;
}

describe('a storm of switches from several clients (real daemon, real runserver)', function () {
  const port = useFreePort(20_500);
  const sandbox = useSandbox({ requires: ['django'] });
  const links: DaemonLink[] = [];

  afterEach(() => {
    for (const link of links.splice(0)) link.dispose();
  });

  const daemonPid = (): number => {
    const pid = sandbox().daemonPid();
    assert.ok(pid, 'the daemon runs');
    return pid;
  };

  const project = async (): Promise<ProjectState> => {
    const status = await links[0].connection.sendRequest(GetStatus.type);
    const state = status.projects.find((p) => p.project.root === sandbox().demo);
    assert.ok(state, 'the demo is open');
    for (const pid of [state.server.pid, ...state.backends.map((b) => b.pid)]) if (pid) sandbox().startedGroups.add(pid);
    return state;
  };

  /** The process groups the journal says the daemon started. */
  const journaled = (): number[] => {
    const entries = JSON.parse(readFileSync(path.join(sandbox().home, 'processes.json'), 'utf8')) as { pgid: number }[];
    return entries.map((e) => e.pgid).sort((a, b) => a - b);
  };

  /** Sends `op` through `link`, never throwing: what came back is recorded in order. */
  async function send(link: DaemonLink, op: Op, answers: Answer[]): Promise<void> {
    const root = sandbox().demo;
    let code: number | null = null;
    let message = '';
    try {
      if (op.kind === 'stop') await link.connection.sendRequest(StopServer.type, { root });
      else await link.connection.sendRequest(op.kind === 'switch' ? SwitchSite.type : OpenSite.type, { root, site: op.site });
    } catch (error) {
      code = (error as { code?: number }).code ?? -1;
      message = (error as Error).message;
    }
    answers.push({ op, order: answers.length, code, message });
  }

  /** A request may be replaced by a newer one (a switch by a switch, a switch or an open by a stop); nothing may fail. */
  const unexpected = (answers: Answer[]): Answer[] => answers.filter((a) => a.code !== null && a.code !== DaemonErrorCode.Superseded);

  // Fewer waves where the project is served by restarts: each ends with a whole runserver start (about a second here),
  // while a superseded start costs only a spawn and a stop of the group (see killGroup and pollUntilReady).
  for (const { name, warmSites, storm } of [
    { name: 'through the proxy with three warm backends', warmSites: 3, storm: { switches: 1000, opens: 60, stops: 8, waves: 20 } },
    { name: 'one runserver restarted per switch (warmSites 0)', warmSites: 0, storm: { switches: 1000, opens: 20, stops: 8, waves: 10 } },
  ]) {
    const { switches } = storm;
    it(`${switches} switches ${name}: one server or the pool's bound, no orphan, no leaked descriptor, the last site current`, async function () {
      this.timeout(600_000);
      const restart = warmSites === 0;
      const root = sandbox().demo;
      for (let n = 0; n < CLIENTS; n++) {
        const link = await sandbox().connect();
        links.push(link);
        await link.connection.sendRequest(OpenProject.type, { root, port: port(), warmSites, trusted: true });
      }
      // Once through every path first, so what the daemon allocates once (log file, watchers) is in the baseline.
      await links[0].connection.sendRequest(SwitchSite.type, { root, site: 'alpha' });
      for (const site of ['beta', 'gamma']) await links[0].connection.sendRequest(OpenSite.type, { root, site });
      await links[0].connection.sendRequest(StopServer.type, { root });
      const daemon = daemonPid();
      const baseline = await settledFds(daemon);
      let spawned = 0;
      links[0].connection.onNotification(ServerLog.type, (line) => void (spawned += Number(line.text.startsWith('Starting runserver on port'))));

      const seed = Number(process.env.MULTISITE_LOCAL_STORM_SEED ?? Date.now() % 1_000_000);
      const answers: Answer[] = [];
      const started = Date.now();
      for (const wave of plan(seed, storm)) {
        await Promise.all(
          wave.map(async (ops, client) => {
            for (const op of ops) await send(links[client], op, answers);
          }),
        );
      }
      const took = Date.now() - started;
      const count = (kind: Op['kind'], code: number | null): number => answers.filter((a) => a.op.kind === kind && a.code === code).length;
      console.log(
        `      seed ${seed}: ${answers.length} requests in ${(took / 1000).toFixed(1)} s; switches ${count('switch', null)} served, ` +
          `${count('switch', DaemonErrorCode.Superseded)} superseded; opens ${count('open', null)} served, ${count('open', DaemonErrorCode.Superseded)} superseded; ` +
          `${spawned} runserver started`,
      );
      assert.deepEqual(
        unexpected(answers).map((a) => `${JSON.stringify(a.op)}: ${a.code} ${a.message}`),
        [],
        `seed ${seed}: no request fails`,
      );

      // Superseded switches leave their backends starting (they are warm afterwards): wait until none is.
      let state = await project();
      for (let waited = 0; state.backends.some((b) => b.phase === 'starting') || state.server.phase === 'starting'; waited++) {
        assert.ok(waited < 600, `seed ${seed}: backends still starting after a minute: ${JSON.stringify(state.backends)}`);
        await sleep(100);
        state = await project();
      }
      assert.equal(state.currentSite?.slug, lastRequested(answers, restart), `seed ${seed}: the status names the last site requested`);
      assert.equal(state.server.phase, 'running');
      const servers = restart ? [state.server.pid] : state.backends.map((b) => b.pid);
      assert.ok(servers.every((pid): pid is number => pid !== null));
      const leaders = [...servers].sort((a, b) => a - b);
      assert.ok(leaders.length >= 1 && leaders.length <= Math.max(1, warmSites), `seed ${seed}: ${leaders.length} servers`);
      assert.ok(leaders.includes(state.server.pid as number), "the current site's server is one of them");
      assert.deepEqual(childrenOf(daemon), leaders, `seed ${seed}: the daemon's only children are its servers`);
      assert.deepEqual(journaled(), leaders, `seed ${seed}: the journal names exactly the running groups`);
      const inProject = processGroups(sandbox().processesInDemo());
      const strays = [...inProject].filter(([, pgid]) => !leaders.includes(pgid));
      assert.deepEqual(strays, [], `seed ${seed}: every process in the project belongs to a server the daemon reports`);

      await links[0].connection.sendRequest(StopServer.type, { root });
      assert.deepEqual(childrenOf(daemon), [], 'no child after the stop');
      assert.deepEqual(sandbox().processesInDemo(), [], 'no process left in the project');
      assert.deepEqual(journaled(), []);
      const after = await settledFds(daemon);
      assert.deepEqual(fdKinds(after), fdKinds(baseline), `seed ${seed}: the daemon holds the descriptors it held before the storm`);
      addFigure('switches', switches);
    });
  }
});
