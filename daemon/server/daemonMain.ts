/**
 * The daemon process: one per user (per MULTISITE_LOCAL_HOME). Started on
 * demand by the extension or the CLI; exits when idle.
 */
import * as path from 'node:path';
import { rmSync } from 'node:fs';
import { version } from '../../package.json';
import { DaemonHome } from '../../home/daemonHome';
import { DaemonLog } from './daemonLog';
import { DaemonService } from './daemonService';
import { DaemonLock } from '../../home/daemonLock';
import { newToken, readDiscovery } from '../../home/discovery';
import type { Discovery } from '../../home/discovery';
import { DiscoveryKeeper } from './discoveryKeeper';
import { ComposePortEdits } from '../compose/composePortEdits';
import { ComposeRuns } from '../compose/composeRuns';
import { SitePortBook } from '../proxy/sitePortBook';
import { HostsEntries } from '../hosts/hostsEntries';
import { ProcessJournal } from '../journal/processJournal';
import { ProjectCode } from '../runners/projectCode';
import { recoverAll } from '../journal/recoverable';
import { recoveryReport } from '../journal/recoveryReport';
import { localStamp } from '../../protocol/logClock';
import { processIdentity } from '../../home/processIdentity';
import { PROTOCOL_VERSION } from '../../protocol/protocol';
import { startRpcServer } from './rpcServer';

/** Where lines go: stdout until the home's log is open (and when the daemon was started by hand). */
let writeLine = (line: string): void => console.log(line);
const log = (text: string): void => writeLine(`${localStamp(Date.now())} [${process.pid}] ${text}`);

function previousDiscovery(home: DaemonHome): Discovery | null {
  try {
    return readDiscovery(home);
  } catch (error) {
    log(`removing the discovery file found at start: ${(error as Error).message}`);
    return null;
  }
}

async function main(): Promise<void> {
  const home = new DaemonHome();
  home.ensure();
  const daemonLog = DaemonLog.ofStdout(home);
  if (daemonLog) writeLine = (line) => daemonLog.write(line);
  // A relative hosts file in our environment means one relative to where we were started.
  if (process.env.MULTISITE_LOCAL_HOSTS_FILE) process.env.MULTISITE_LOCAL_HOSTS_FILE = path.resolve(process.env.MULTISITE_LOCAL_HOSTS_FILE);
  // Never hold a project folder open (or run elevated commands from one): live in our own home.
  process.chdir(home.dir);
  const lock = new DaemonLock(home.lockFile);
  const acquired = lock.acquire();
  if (!acquired.ok) {
    // Exit 0: the client that started us waits for the daemon that holds the lock.
    log(`another daemon (pid ${acquired.holder?.pid ?? 'unknown'}) already serves ${home.dir}`);
    return;
  }
  // We hold the lock, so a discovery file naming another pid is a crashed daemon's: it would send clients to a dead port.
  // One that is refused (a link, another user's, readable by others) goes too: rm removes a link, never its target.
  if (previousDiscovery(home)?.pid !== process.pid) rmSync(home.discoveryFile, { force: true });
  const journal = new ProcessJournal(home.processJournal);
  const hosts = new HostsEntries(home.dir);
  const composePorts = new ComposePortEdits(home.dir);
  const composeRuns = new ComposeRuns(home.dir);
  // Whatever a crashed daemon left (servers, hosts entries pointing at them, compose edits) is undone first.
  const journals = [journal, hosts, composePorts, composeRuns];
  const recovered = recoveryReport(await recoverAll(journals, (text) => log(`previous daemon: ${text}`)));
  // Kept for the first client that asks, which tells its person once (TakeRecoveryReport).
  if (recovered) log(`recovery, to be told to the first client: ${recovered.message}`);

  // Belt and braces before advertising: the lock must still name us after the slow recovery above.
  if (!lock.reassert()) {
    log('the lock changed hands while this daemon was starting; leaving it to its new holder');
    return;
  }
  const token = newToken();
  let keeper: DiscoveryKeeper | null = null;
  let exiting = false;
  const service = new DaemonService({
    journals,
    journal,
    resources: { home: home.dir, hosts, composePorts, composeRuns, projectCode: new ProjectCode(journal), portBook: new SitePortBook(home.dir) },
    version,
    recovered,
    idleMs: Number(process.env.MULTISITE_LOCAL_IDLE_MS ?? 120_000),
    log,
    onShutdown: () => {
      exiting = true;
      keeper?.stop();
      lock.release();
      log('bye');
      process.exit(0);
    },
  });
  const { port } = await startRpcServer(service, token, log);
  service.setPort(port);
  keeper = new DiscoveryKeeper(
    home,
    lock,
    { port, token, pid: process.pid, start: processIdentity(process.pid)?.start ?? '', version, protocol: PROTOCOL_VERSION },
    log,
  );
  keeper.start();
  log(`listening on 127.0.0.1:${port} (home ${home.dir})`);

  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    process.on(signal, () => void service.shutdown(signal));
  }
  process.on('exit', () => {
    if (exiting) return;
    keeper?.stop();
    lock.release();
  });
}

main().catch((error: unknown) => {
  log(`failed to start: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
