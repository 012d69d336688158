/**
 * The order of one project's starts and stops: each runs after every
 * earlier one, so two servers never run for one project; a newer one aborts
 * one still waiting for its server (a superseded switch); and the end of
 * serving (a stop, a mode change, shutdown) cancels the opens still waiting
 * for their backend.
 */
import { SerialQueue } from '../base/serialQueue';

/** Why a switch still waiting for its server is cancelled: a newer request, or the daemon shutting down. */
export type CancelReason = 'superseded' | 'shutdown';

export class SwitchQueue {
  /** Serializes start/stop so two servers never run for one project. */
  private readonly queue = new SerialQueue();
  private pendingSwitch: AbortController | null = null;
  /** Aborted when serving ends (a stop, a mode change, shutdown): an open still waiting for its backend is then cancelled, not failed. */
  private servingEnds = new AbortController();

  /** Runs `job` after every earlier start/stop; a newer job aborts one still waiting for its server. */
  enqueue<T>(job: (signal: AbortSignal) => Promise<T>, cancel: CancelReason = 'superseded'): Promise<T> {
    this.pendingSwitch?.abort(cancel);
    const abort = new AbortController();
    this.pendingSwitch = abort;
    return this.queue.run(() => job(abort.signal));
  }

  /** Runs `job` after every earlier start/stop, superseding none (opening a site is no switch). */
  behind<T>(job: () => Promise<T>): Promise<T> {
    return this.queue.run(job);
  }

  /** Aborted when serving ends next (see endServing). */
  get servingEndsSignal(): AbortSignal {
    return this.servingEnds.signal;
  }

  /** Cancels the opens still waiting, with `cancel` as their reason, as a newer request cancels a switch. */
  endServing(cancel: CancelReason): void {
    this.servingEnds.abort(cancel);
    this.servingEnds = new AbortController();
  }
}
