/**
 * A debug knob for fault tests: with MULTISITE_LOCAL_STOP_AT set to a list of
 * step names (comma-separated), the process stops itself (SIGSTOP) whenever it
 * reaches one of those steps of a hosts-file change (or of a server start),
 * saying so on stderr (the daemon's log). A test then kills it there
 * (SIGKILL: a crash at exactly that point) or sends it requests and lets it go
 * on (SIGCONT: what it answers while that step is under way). Unset, which is
 * how the product always runs, it does nothing; it never changes what a step
 * does. Windows has no SIGSTOP: there it is ignored.
 */
import { localStamp } from '../../protocol/logClock';

/** The steps of a hosts-file change, in order (in place: written and not yet cut to length, where rename cannot work). */
export const STEPS = [
  'hosts:requested',
  'hosts:journaled',
  'hosts:read',
  'hosts:backed-up',
  'hosts:temp-written',
  'hosts:renamed',
  'hosts:in-place-written',
  'hosts:updated',
] as const;

/** The steps of a server start: runserver spawned, not yet in the process journal. */
export const SERVER_STEPS = ['runserver:spawned'] as const;

export type Step = (typeof STEPS)[number] | (typeof SERVER_STEPS)[number];

export function reached(step: Step): void {
  const wanted = process.env.MULTISITE_LOCAL_STOP_AT;
  if (!wanted || process.platform === 'win32') return;
  if (!wanted.split(',').includes(step)) return;
  // Said first (writes to a file or a pipe are synchronous), so a test can tell where it stopped.
  process.stderr.write(`${localStamp(Date.now())} [${process.pid}] stopped at ${step} (MULTISITE_LOCAL_STOP_AT)\n`);
  process.kill(process.pid, 'SIGSTOP');
}
