/**
 * One contender in test/integration/daemonLockRace.test.ts: waits until the
 * shared start time, tries to take the lock, prints OK or NO, and holds on
 * (alive, so its lock stays valid) until its stdin closes.
 */
import { DaemonLock } from '../../home/daemonLock';

const [file, startAt] = process.argv.slice(2);
const begin = Number(startAt);
while (Date.now() < begin) {
  // Spin rather than sleep: every contender should reach acquire() in the same millisecond.
}
const result = new DaemonLock(file).acquire();
process.stdout.write(result.ok ? 'OK\n' : 'NO\n');
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
